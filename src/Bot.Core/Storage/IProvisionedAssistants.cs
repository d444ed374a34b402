namespace Bot.Core.Storage;

/// <summary>
/// Assistants a backend created for itself (the Assistants backend's one assistant), at most one per backend kind,
/// each with a hash of the settings it was made from: after a restart the same assistant is reused, after a change of
/// those settings it is updated. Safe to call concurrently.
/// </summary>
public interface IProvisionedAssistants
{
    /// <summary>The assistant the backend recorded, or null.</summary>
    Task<ProvisionedAssistant?> FindProvisionedAssistantAsync(string backendKind, CancellationToken cancellationToken = default);

    /// <summary>Records the backend's assistant, replacing the one recorded before.</summary>
    Task SaveProvisionedAssistantAsync(ProvisionedAssistant assistant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the backend's assistant when it is still <paramref name="assistantId"/> (the service no longer knows it),
    /// so that the next start creates one; a newer record is left alone.
    /// </summary>
    Task ForgetProvisionedAssistantAsync(string backendKind, string assistantId, CancellationToken cancellationToken = default);
}
