using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// Slash commands, the Stop button and the approval buttons (<see cref="ApprovalClicks"/>). <c>/reset</c> is acknowledged at once (deferred, ephemeral) and
/// confirmed when the reset is done; <c>/stop</c> and the button stop the conversation's running answer, if the
/// user asked for it or may manage messages there. <c>/settings</c>, <c>/model</c>, <c>/usage</c> and their
/// autocomplete go to <see cref="SettingsInteractions"/>. Where the allow-lists refuse the user or the place (the
/// global lists, then the place's own, which never lock out a member with Manage Server), or the answer is someone
/// else's, the user gets a short ephemeral sentence instead.
/// </summary>
internal sealed class InteractionHandler(DiscordRestClient rest, ConversationService conversations, AccessPolicy access,
    RunningReplies replies, ApprovalClicks approvals, DiscordPlaces places, PlaceSettings settings, SettingsInteractions settingsCommands,
    DiscordOptions options, ILogger<InteractionHandler> logger)
{
    private const string NotRunning = "I'm not writing an answer here right now.";
    private const string NotYours = "Only the person who asked (or a moderator) can stop this answer.";
    internal const string StoreUnavailable = "I can't reach my database right now. Please try again in a minute.";

    public async Task HandleAsync(JsonElement interaction, string applicationId, CancellationToken cancellationToken = default)
    {
        var id = interaction.GetProperty("id").GetString()!;
        var token = interaction.GetProperty("token").GetString()!;
        var type = interaction.GetProperty("type").GetInt32();
        var data = interaction.GetProperty("data");
        var command = type is 2 or 4;
        var name = command ? data.GetProperty("name").GetString() ?? "" : data.TryGetProperty("custom_id", out var cid) ? cid.GetString() ?? "" : "";
        // Discord takes the first answer only within 3 s: the store's part before it (settings, usage) gets less than that,
        // so that a store that hangs still leaves time to say so.
        using var beforeAnswer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        beforeAnswer.CancelAfter(options.FirstAnswerLimit);
        try
        {
            var stopButton = type == 3 && name.StartsWith(DiscordReplyWriter.StopPrefix, StringComparison.Ordinal);
            var approvalButton = type == 3 && name.StartsWith(ApprovalMessage.Prefix, StringComparison.Ordinal);
            if (!command && !stopButton && !approvalButton)
                return;
            var place = Place.OfInteraction(interaction);
            var requester = Requester.OfInteraction(interaction);
            var verdict = access.Check(requester, place);
            EffectiveSettings? here = null;
            PlacePath? path = null;
            if (verdict == Access.Allowed && command)
            {
                path = await places.PathAsync(place, beforeAnswer.Token).ConfigureAwait(false);
                here = await settings.ResolveAsync(path, beforeAnswer.Token).ConfigureAwait(false);
                if (!requester.IsManager && !AccessPolicy.PlaceAdmits(requester, here, place.GuildId))
                    verdict = Access.UserNotAllowed;
            }

            if (type == 4)
            {
                await settingsCommands.AutocompleteAsync(interaction, name, verdict == Access.Allowed ? requester : requester with { Permissions = 0 },
                    cancellationToken).ConfigureAwait(false);
                return;
            }

            if (verdict != Access.Allowed)
            {
                await EphemeralAsync(id, token, AccessPolicy.Refusal(verdict), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (approvalButton)
            {
                var click = approvals.Answer(name, requester);
                await (click.Update is { } update
                    ? rest.RespondAsync(id, token, DiscordRestClient.CallbackUpdateMessage, update, cancellationToken)
                    : EphemeralAsync(id, token, click.Refusal!, cancellationToken)).ConfigureAwait(false);
                return;
            }

            if (stopButton)
            {
                await StopButtonAsync(id, token, name, requester, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (SettingsInteractions.Handles(name))
            {
                await settingsCommands.CommandAsync(interaction, name, requester, place, path!, beforeAnswer.Token).ConfigureAwait(false);
                return;
            }

            var scope = MessageRouter.Scope(here!, options);
            var key = Key(ConversationIds.For(place.ChannelId, place.GuildId, place.ChannelType, requester.UserId, scope));
            switch (name)
            {
                case "reset":
                    // Deferred first: the reset may take longer than Discord's 3 s to delete the remote conversation. A deferred
                    // response takes EPHEMERAL only; the edit below adds SUPPRESS_EMBEDS.
                    await rest.RespondAsync(id, token, DiscordRestClient.CallbackDeferredMessage,
                        new JsonObject { ["flags"] = MessageFlags.Ephemeral }, cancellationToken).ConfigureAwait(false);
                    var result = await conversations.ResetAsync(key, cancellationToken).ConfigureAwait(false);
                    var text = result.HadConversation || result.StoppedTurn
                        ? "Done: I've forgotten this conversation. The next message starts afresh."
                        : "There was nothing to forget here; the next message starts afresh.";
                    await rest.EditOriginalResponseAsync(applicationId, token, DiscordRestClient.Message(text, flags: EphemeralFlags), cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case "stop":
                    await EphemeralAsync(id, token, await StopCommandAsync(key, requester, cancellationToken).ConfigureAwait(false),
                        cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await EphemeralAsync(id, token, $"I don't know the command /{name}.", cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when ((StoreFaults.IsUnavailable(ex) || (ex is OperationCanceledException && beforeAnswer.IsCancellationRequested))
                                   && !cancellationToken.IsCancellationRequested)
        {
            // Discord wants an answer within 3 s and never asks again: say so rather than leave "did not respond".
            Log.InteractionStoreUnavailable(logger, name, ex);
            await StoreUnavailableAsync(id, token, applicationId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Runs on its own task: nothing above would see the failure, so it ends here, logged.
            Log.InteractionFailed(logger, name, ex);
        }
    }

    private async Task StoreUnavailableAsync(string id, string token, string applicationId, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await EphemeralAsync(id, token, StoreUnavailable, cancellationToken).ConfigureAwait(false);
            }
            catch (DiscordApiException)
            {
                // Acknowledged already (a deferred /reset): the deferred answer says it instead.
                await rest.EditOriginalResponseAsync(applicationId, token, DiscordRestClient.Message(StoreUnavailable, flags: EphemeralFlags),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.InteractionFailed(logger, "store unavailable notice", ex);
        }
    }

    private async Task StopButtonAsync(string id, string token, string customId, Requester requester, CancellationToken cancellationToken)
    {
        var (conversationId, buttonAsker) = DiscordReplyWriter.ParseStopId(customId);
        // The running answer's asker decides (a stale button of an earlier answer must not stop a later one of someone
        // else); the button's own asker stands in when no answer is known to be running.
        if (!MayStop(requester, replies.AskerOf(conversationId) ?? buttonAsker))
        {
            await EphemeralAsync(id, token, NotYours, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Take the button off at once (type 7), then stop the answer; its final text follows in an edit.
        var update = DiscordRestClient.WithFlags(new JsonObject { ["components"] = new JsonArray() }, options.SentMessageFlags);
        await rest.RespondAsync(id, token, DiscordRestClient.CallbackUpdateMessage, update, cancellationToken).ConfigureAwait(false);
        // Here, or through the store on the instance that runs the turn (shards and conversations are leased apart).
        await conversations.StopTurnAsync(Key(conversationId), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> StopCommandAsync(ConversationKey key, Requester requester, CancellationToken cancellationToken)
    {
        var asker = replies.AskerOf(key.ConversationId);
        // No running reply known (none, a turn in the instant before its writer exists, or one another instance runs): only
        // a moderator's stop goes through.
        if (asker is null && !requester.IsModerator)
            return NotRunning;
        if (!MayStop(requester, asker))
            return NotYours;
        return await conversations.StopTurnAsync(key, cancellationToken).ConfigureAwait(false) ? "Stopped." : NotRunning;
    }

    // The asker, or a member who may manage messages (or is an administrator) in the channel, may stop an answer.
    private static bool MayStop(Requester requester, string? asker) => requester.IsModerator || (asker is not null && asker == requester.UserId);

    private Task EphemeralAsync(string id, string token, string text, CancellationToken cancellationToken)
    {
        var message = DiscordRestClient.Message(text, flags: EphemeralFlags);
        return rest.RespondAsync(id, token, DiscordRestClient.CallbackMessage, message, cancellationToken);
    }

    // An edit must repeat the flags a message has, so EPHEMERAL goes with every ephemeral write, not only the first.
    private int EphemeralFlags => MessageFlags.Ephemeral | options.SentMessageFlags;

    private static ConversationKey Key(string conversationId) => new(DiscordChannel.ChannelName, conversationId);
}
