namespace Bot.Core.Storage;

/// <summary>
/// Named secrets the bot makes once and keeps (the web chat's key for signing cookies), so that a restart, or another
/// instance on the same store, uses the same bytes. Safe to call concurrently.
/// </summary>
public interface IBotSecrets
{
    /// <summary>
    /// The secret stored under <paramref name="name"/>; when there is none yet, <paramref name="candidate"/> is stored
    /// and returned. The first one stored wins and is never replaced, so callers racing on one store all get it.
    /// </summary>
    Task<byte[]> GetOrAddSecretAsync(string name, ReadOnlyMemory<byte> candidate, CancellationToken cancellationToken = default);
}
