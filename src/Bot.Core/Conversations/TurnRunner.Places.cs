using Bot.Core.Places;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Conversations;

/// <summary>Per-place settings: resolved at the start of every turn, so that a change applies from the next turn on.</summary>
internal sealed partial class TurnRunner
{
    // The last message's place path (the conversation alone when its adapter names none). A store that cannot be read
    // does not fail the turn: configuration and the global options still apply.
    private async Task<EffectiveSettings?> ResolveSettingsAsync(ConversationKey key, IReadOnlyList<IncomingMessage> messages,
        CancellationToken cancellationToken)
    {
        if (places is null)
            return null;
        var path = messages[^1].Path;
        try
        {
            return await places.ResolveAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped or reset while reading: the turn's own handling of the token ends it.
            return places.ResolveConfigured(path);
        }
        catch (Exception ex)
        {
            Log.PlaceSettingsUnavailable(logger, key, ex);
            return places.ResolveConfigured(path);
        }
    }

    // The model a turn asked for: the place's when the backend allows it, the configured one otherwise (the backend
    // itself falls back the same way and logs it; this only names the model the ledger counts).
    private static string ModelUsed(IAssistantBackend backend, EffectiveSettings? settings) =>
        settings?.Model is { } model && backend.AllowedModels.Contains(model, StringComparer.Ordinal) ? model : backend.Model;
}
