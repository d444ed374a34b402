using System.Threading.Channels;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Health;
using Bot.Core.Infrastructure;
using Bot.Discord.Adapter;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Discord;

/// <summary>
/// Runs the Discord channel: the gateway connection (one shard set by hand, or with <c>Discord:ShardIds=auto</c> the shards
/// the <see cref="ShardCoordinator"/> leases), the dispatches it delivers (messages to the core,
/// commands and buttons to the interaction handler), and at the first READY the channel's start-up
/// (<see cref="ChannelStartup"/>), the invite URL in the log and the slash commands. A fatal close code stops this
/// channel, not the host. Registered only when the channel is enabled (<c>Discord:Token</c> set).
/// </summary>
internal sealed class DiscordBotService(
    DiscordRestClient rest,
    DiscordGatewayClient gateway,
    ShardCoordinator shards,
    RestBudget budget,
    DiscordOptions options,
    DiscordChannel channel,
    GuildDirectory guilds,
    MessageRouter router,
    MessageIntake intake,
    InteractionHandler interactions,
    ChannelStartup startup,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    /// <summary>VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, SEND_MESSAGES_IN_THREADS.</summary>
    public const long Permissions = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 38);

    private readonly TaskCompletionSource<GatewayStop?> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;
    private volatile bool _ready;

    /// <summary>Completes when the channel stopped: with the reason for a fatal close code, null on shutdown.</summary>
    internal Task<GatewayStop?> Stopped => _stopped.Task;

    /// <summary>For <c>/healthz/ready</c>: connected once READY came, until a fatal close code or shutdown stopped the channel.</summary>
    internal Readiness Readiness => Stopped.IsCompleted
        ? Readiness.No(Stopped.Result is { } stop
            ? $"Discord closed the gateway with {stop.CloseCode}: {stop.OperatorMessage}"
            : "The Discord channel stopped.")
        : _ready ? Readiness.Yes("Gateway READY.")
        : options.AutoShards && shards.Started && shards.RunningShards.Count == 0
            ? Readiness.Yes("No Discord shard is leased here: the other instances run them all.")
            : Readiness.No("Connecting to the Discord gateway.");

    /// <summary>429 responses the REST client received.</summary>
    public long RateLimitedResponses => rest.RateLimitedResponses;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Shard ids leased from the store, or the one shard this process was given by hand.
        var dispatches = options.AutoShards ? shards.Dispatches : gateway.Dispatches;
        var pump = PumpAsync(dispatches, stoppingToken);
        using var stopBudget = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        // The coordinator keeps the REST budget's share itself, along with its leases.
        var budgetLoop = options.AutoShards ? Task.CompletedTask : budget.RunAsync(stopBudget.Token);
        GatewayStop? stop = null;
        try
        {
            stop = options.AutoShards
                ? await shards.RunAsync(stoppingToken).ConfigureAwait(false)
                : await gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The Discord channel ends here; the host and its other channels keep running.
            Log.ChannelCrashed(logger, ex);
        }
        finally
        {
            await stopBudget.CancelAsync().ConfigureAwait(false);
            await budgetLoop.ConfigureAwait(false);
            await pump.ConfigureAwait(false);
            _stopped.TrySetResult(stop);
        }
    }

    // Handles dispatches in order; slow work (answers, resets) runs elsewhere so the gateway is never held up.
    private async Task PumpAsync(ChannelReader<GatewayDispatch> dispatches, CancellationToken cancellationToken)
    {
        await foreach (var dispatch in dispatches.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await HandleAsync(dispatch, cancellationToken).ConfigureAwait(false);
                if (options.AutoShards)
                    shards.Handled(dispatch);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.DispatchFailed(logger, dispatch.Type, ex);
            }
        }
    }

    private async Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        var session = dispatch.Session ?? gateway.Session!;
        if (dispatch.Type is "READY" or "RESUMED")
            _ready = true;
        switch (dispatch.Type)
        {
            // A leased shard may start with a RESUME of a session another instance saved: no READY on this instance then.
            case "READY" or "RESUMED":
                await OnReadyAsync(session, cancellationToken).ConfigureAwait(false);
                break;
            case "GUILD_CREATE":
                guilds.AddGuild(dispatch.Data, session.BotUserId);
                break;
            case "GUILD_ROLE_CREATE" or "GUILD_ROLE_UPDATE":
                guilds.AddRole(dispatch.Data.GetProperty("guild_id").GetString()!, dispatch.Data.GetProperty("role"), session.BotUserId);
                break;
            case "THREAD_CREATE":
                guilds.AddThread(dispatch.Data);
                if (dispatch.Data.TryGetProperty("owner_id", out var owner) && owner.GetString() == session.BotUserId)
                    await router.RememberThreadAsync(dispatch.Data.GetProperty("id").GetString()!, cancellationToken).ConfigureAwait(false);
                break;
            case "MESSAGE_CREATE":
                await intake.TakeAsync(dispatch.Data, session.BotUserId, cancellationToken).ConfigureAwait(false);
                break;
            case "INTERACTION_CREATE":
                var interaction = dispatch.Data;
                BackgroundWork.Run(() => interactions.HandleAsync(interaction, session.ApplicationId, cancellationToken), logger,
                    "a Discord interaction", cancellationToken);
                break;
        }
    }

    private async Task OnReadyAsync(GatewaySession session, CancellationToken cancellationToken)
    {
        if (_started)
            return;
        _started = true;
        // Only now, with the token accepted and the session known, does the core get the channel and the recovery of
        // what the last run left; a reconnect's READY starts nothing again.
        await startup.StartAsync(channel, cancellationToken).ConfigureAwait(false);
        Log.Invite(logger, session.BotUserId, InviteUrl(session.ApplicationId));
        try
        {
            var commands = CommandManifest();
            await rest.OverwriteCommandsAsync(session.ApplicationId, commands, cancellationToken).ConfigureAwait(false);
            Log.CommandsRegistered(logger, commands.Count);
        }
        catch (Exception ex) when (ex is DiscordApiException or HttpRequestException or TimeoutException)
        {
            Log.CommandsFailed(logger, ex);
        }
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
