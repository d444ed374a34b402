using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Core.Storage;
using Bot.Discord.Adapter;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Discord;

/// <summary>
/// Runs the Discord channel: the gateway connection, the dispatches it delivers (messages to the core,
/// commands and buttons to the interaction handler), and at the first READY the channel's registration, the
/// slash commands and the invite URL in the log. A fatal close code stops this channel, not the host.
/// </summary>
public sealed class DiscordBotService : BackgroundService
{
    /// <summary>VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, SEND_MESSAGES_IN_THREADS.</summary>
    public const long Permissions = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 38);

    private readonly DiscordOptions _options;
    private readonly ChannelRegistry _channels;
    private readonly ConversationService _conversations;
    private readonly ILogger _logger;
    private readonly DiscordRestClient _rest;
    private readonly DiscordGatewayClient _gateway;
    private readonly DiscordChannel _channel;
    private readonly GuildDirectory _guilds = new();
    private readonly MessageRouter _router;
    private readonly InteractionHandler _interactions;
    private readonly TaskCompletionSource<GatewayStop?> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _registered;

    public DiscordBotService(IOptions<DiscordOptions> options, ChannelRegistry channels, ConversationService conversations, IFollowedPlaces followedPlaces,
        TimeProvider time, ILogger<DiscordBotService> logger)
    {
        _options = options.Value;
        _channels = channels;
        _conversations = conversations;
        _logger = logger;
        _rest = new DiscordRestClient(_options, time, logger);
        _gateway = new DiscordGatewayClient(_options, _rest, time, logger);
        var replies = new RunningReplies();
        _channel = new DiscordChannel(_rest, _options, replies, time, logger);
        var access = new AccessPolicy(_options, _guilds);
        _router = new MessageRouter(_options, _guilds, access, followedPlaces, logger);
        _interactions = new InteractionHandler(_rest, conversations, access, replies, _options, logger);
    }

    /// <summary>Completes when the channel stopped: with the reason for a fatal close code, null on shutdown or when it is off.</summary>
    internal Task<GatewayStop?> Stopped => _stopped.Task;

    /// <summary>429 responses the REST client received.</summary>
    public long RateLimitedResponses => _rest.RateLimitedResponses;

    public override void Dispose()
    {
        _rest.Dispose();
        _channel.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            _stopped.TrySetResult(null);
            return;
        }

        var pump = PumpAsync(stoppingToken);
        GatewayStop? stop = null;
        try
        {
            stop = await _gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The Discord channel ends here; the host and its other channels keep running.
            Log.ChannelCrashed(_logger, ex);
        }
        finally
        {
            await pump.ConfigureAwait(false);
            _stopped.TrySetResult(stop);
        }
    }

    // Handles dispatches in order; slow work (answers, resets) runs elsewhere so the gateway is never held up.
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var dispatch in _gateway.Dispatches.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(dispatch, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DispatchFailed(_logger, dispatch.Type, ex);
            }
        }
    }

    private async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        var session = _gateway.Session!;
        switch (dispatch.Type)
        {
            case "READY":
                await OnReadyAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case "GUILD_CREATE":
                _guilds.AddGuild(dispatch.Data, session.BotUserId);
                break;
            case "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE":
                _guilds.AddRole(dispatch.Data.GetProperty("guild_id").GetString()!, dispatch.Data.GetProperty("role"), session.BotUserId);
                break;
            case "THREAD_CREATE":
                _guilds.AddThread(dispatch.Data);
                if (dispatch.Data.TryGetProperty("owner_id", out var owner) && owner.GetString() == session.BotUserId)
                    await _router.RememberThreadAsync(dispatch.Data.GetProperty("id").GetString()!, cancellationToken).ConfigureAwait(false);
                break;
            case "MESSAGE_CREATE":
                if (await _router.RouteAsync(dispatch.Data, session.BotUserId, cancellationToken).ConfigureAwait(false) is { } message)
                {
                    await _conversations.AcceptAsync(message, cancellationToken).ConfigureAwait(false);
                }

                break;
            case "INTERACTION_CREATE":
                var interaction = dispatch.Data;
                BackgroundWork.Run(() => _interactions.HandleAsync(interaction, session.ApplicationId, cancellationToken), _logger,
                    "a Discord interaction", cancellationToken);
                break;
        }
    }

    private async Task OnReadyAsync(GatewaySession session, CancellationToken cancellationToken)
    {
        if (_registered)
            return;
        _registered = true;
        _channels.Register(_channel);
        Log.Invite(_logger, session.BotUserId, InviteUrl(session.ApplicationId));
        try
        {
            var commands = CommandManifest();
            await _rest.OverwriteCommandsAsync(session.ApplicationId, commands, cancellationToken).ConfigureAwait(false);
            Log.CommandsRegistered(_logger, commands.Count);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or TimeoutException)
        {
            Log.CommandsFailed(_logger, ex);
        }

        await _conversations.RecoverAsync(DiscordChannel.ChannelName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The URL that adds the bot to a server with the scopes and permissions it needs.</summary>
    public static string InviteUrl(string applicationId) =>
        $"https://discord.com/oauth2/authorize?client_id={applicationId}&scope=bot%20applications.commands&permissions={Permissions}";

    /// <summary>The slash commands (manifests/discord/commands.json, embedded).</summary>
    internal static JsonArray CommandManifest()
    {
        using var stream = typeof(DiscordBotService).Assembly.GetManifestResourceStream("Bot.Discord.commands.json")
            ?? throw new InvalidOperationException("The embedded Discord command manifest is missing.");
        return JsonNode.Parse(stream)?.AsArray() ?? throw new JsonException("The Discord command manifest is not a JSON array.");
    }
}
