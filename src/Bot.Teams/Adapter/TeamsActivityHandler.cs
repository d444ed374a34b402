using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Core.Places;
using Bot.Teams.Connector;
using Bot.Teams.Replies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.Adapter;

/// <summary>What the endpoint answers: an HTTP status and, for invokes, a JSON body.</summary>
internal sealed record ActivityResponse(int Status, JsonObject? Body = null)
{
    public static readonly ActivityResponse Ok = new(200);
}

/// <summary>
/// Acts on an authenticated activity: messages become core messages (the bot's mention removed, reset/stop handled),
/// clicks on an approval card go to <see cref="ApprovalSubmits"/> (never to the assistant), text commands to
/// <see cref="TeamsCommands"/>. In a group chat or channel a message without the bot's mention (Teams delivers those only
/// with resource-specific consent) is answered only where the place's <c>ReplyMode</c> is <c>All</c>; where the place
/// names <c>AllowedUserIds</c>, nobody else is answered (silently).
/// the bot's arrival gets one welcome, invokes get their status. Slow work runs in the background on the host's
/// token, never on the request's, so that Teams gets its 200 at once.
/// </summary>
internal sealed class TeamsActivityHandler(ConversationService conversations, ConnectorClient connector, StreamTracker streams,
    ApprovalSubmits approvals, TeamsCommands commands, PlaceSettings settings, TeamsOptions options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<TeamsActivityHandler> logger)
{
    private static readonly HashSet<string> s_reset = new(["reset", "/reset"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> s_stop = new(["stop", "/stop"], StringComparer.OrdinalIgnoreCase);
    public const string FilesOnlyInPersonalChat =
        "📎 I can only read files and images sent to me in our 1:1 chat, so I answer this message without them.";

    // Ids seen in the last hour, to spot Teams' re-deliveries before any slower check: the store still deduplicates
    // messages for good; this only keeps a re-delivery from opening a second stream or welcoming twice.
    private readonly ExpiringSet<string> _recent = new(TimeSpan.FromHours(1), 20_000, time, StringComparer.Ordinal);
    private readonly CancellationToken _stopping = lifetime.ApplicationStopping;

    public async Task<ActivityResponse> HandleAsync(Activity activity)
    {
        switch (activity.Type)
        {
            case "message":
                await OnMessageAsync(activity).ConfigureAwait(false);
                return ActivityResponse.Ok;
            case "conversationUpdate":
                OnConversationUpdate(activity);
                return ActivityResponse.Ok;
            case "invoke":
                return OnInvoke(activity);
            default:
                return ActivityResponse.Ok; // installationUpdate, messageReaction, typing, events: nothing to do
        }
    }

    private async Task OnMessageAsync(Activity activity)
    {
        if (activity.From?.Id is null || activity.From.Id == activity.Recipient?.Id || activity.Id is null)
            return;
        var address = IncomingTranslator.Address(activity);
        if (ApprovalSubmits.IsSubmit(activity))
        {
            // A re-delivered click is not answered twice (its second answer would say "already answered").
            if (_recent.TryAdd($"{address.KeyId}|{activity.Id}") && approvals.Answer(activity) is { } reply)
                Background("approval reply", ct => connector.SendAsync(address.ServiceUrl, address.ConversationId, OutgoingActivities.Message(address, reply), ct));
            return;
        }

        var key = address.Key;
        var text = IncomingTranslator.Text(activity);
        var files = IncomingTranslator.Attachments(activity);
        var places = TeamsPlaces.Of(address, activity);
        var here = await settings.ResolveAsync(places, _stopping).ConfigureAwait(false);
        if (!address.IsPersonal && !here.ReplyToAll && !TeamsPlaces.MentionsBot(activity))
            return; // delivered by resource-specific consent, but this place answers mentions only

        var command = files.Count == 0 && SettingsCommand.TryParse(text, out var parsed) ? parsed : null;
        var isCommand = command is not null;
        // An admin's commands are always taken, so that a list without them cannot lock them out.
        var mayCommand = isCommand && TeamsPlaces.IsListed(options.AdminUserIds, activity.From);
        if (!mayCommand && here.AllowedUserIds.Count > 0 && !TeamsPlaces.IsListed(here.AllowedUserIds, activity.From))
            return;

        if (isCommand)
        {
            // A command is not a turn: nothing is stored, nothing reaches the assistant, no budget is spent.
            if (_recent.TryAdd($"{address.KeyId}|{activity.Id}"))
                Background("command", ct => commands.RunAsync(command!, activity, address, places, ct));
            return;
        }

        if (!address.IsPersonal && files.Count > 0)
        {
            // Teams gives bots the files of personal chats only (group and channel files need Microsoft Graph).
            files = [];
            Background("files note", ct => connector.SendAsync(address.ServiceUrl, address.ConversationId,
                OutgoingActivities.Message(address, FilesOnlyInPersonalChat), ct));
        }

        if (text.Length == 0 && files.Count == 0)
            return; // a card submit or an empty post: nothing to answer

        if (files.Count == 0 && (s_reset.Contains(text) || s_stop.Contains(text)))
        {
            var reset = s_reset.Contains(text);
            Background(reset ? "reset" : "stop", ct => reset ? ResetAsync(key, address, ct) : StopAsync(key, address, ct));
            return;
        }

        // The message id is unique within the channel (Teams ids are only unique within a conversation, of a tenant).
        var messageId = $"{address.KeyId}|{activity.Id}";
        // "Thinking…" goes out at once, while the message is being stored; a re-delivery seen recently opens nothing.
        if (_recent.TryAdd(messageId) && address.IsPersonal && options.Streaming && streams.TryOpen(address) is { } stream)
            Background("informative update", ct => stream.InformAsync(TeamsStreamingWriter.Thinking, ct));

        var message = new IncomingMessage(key, messageId, new MessageAuthor(activity.From.Id, activity.From.Name ?? "Someone"), text, files,
            activity.Timestamp ?? time.GetUtcNow(), address.Serialize(), IsShared: !address.IsPersonal, Places: places);
        using var span = TeamsTelemetry.StartAccept();
        await conversations.AcceptAsync(message, _stopping).ConfigureAwait(false);
    }

    private async Task ResetAsync(ConversationKey key, ReplyAddress address, CancellationToken cancellationToken)
    {
        var result = await conversations.ResetAsync(key, cancellationToken).ConfigureAwait(false);
        var text = result.HadConversation ? "🔄 Done: I forgot our conversation. The next message starts a new one." : "🔄 There was nothing to reset; let's start.";
        await connector.SendAsync(address.ServiceUrl, address.ConversationId, OutgoingActivities.Message(address, text), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task StopAsync(ConversationKey key, ReplyAddress address, CancellationToken cancellationToken)
    {
        // A running answer ends with "Stopped." itself; only say something when there was nothing to stop.
        if (!await conversations.StopTurnAsync(key, cancellationToken).ConfigureAwait(false))
            await connector.SendAsync(address.ServiceUrl, address.ConversationId,
                OutgoingActivities.Message(address, "There is no answer running to stop."), cancellationToken).ConfigureAwait(false);
    }

    private void OnConversationUpdate(Activity activity)
    {
        var bot = activity.Recipient?.Id;
        if (bot is null || activity.Conversation?.Id is null || activity.ServiceUrl is null || activity.MembersAdded?.Any(m => m.Id == bot) != true)
            return;
        // Teams may deliver the same update twice: one welcome per conversation and update id.
        var address = IncomingTranslator.Address(activity);
        if (!_recent.TryAdd($"{address.KeyId}|{activity.Id}"))
            return;

        Background("welcome", ct => connector.SendAsync(address.ServiceUrl, address.ConversationId, OutgoingActivities.Message(address, options.Welcome), ct));
    }

    private static ActivityResponse OnInvoke(Activity activity) => activity.Name switch
    {
        "adaptiveCard/action" => new ActivityResponse(200, new JsonObject
        {
            ["statusCode"] = 200,
            ["type"] = "application/vnd.microsoft.activity.message",
            ["value"] = "This bot has no card actions. Just write to it.",
        }),
        "message/submitAction" or "fileConsent/invoke" => ActivityResponse.Ok,
        _ => new ActivityResponse(501), // message extensions, task modules, tabs: not offered by this bot
    };

    // Started here (its first request is written before this returns), finished in the background, failures logged.
    private void Background(string what, Func<CancellationToken, Task> work) => BackgroundWork.Start(() => work(_stopping), logger, what, _stopping);
}
