namespace Bot.Discord.Gateway;

/// <summary>A dispatch (op 0) from the gateway: its event name and data, the session of the shard it came on and its sequence number.</summary>
internal sealed record GatewayDispatch(string Type, JsonElement Data, GatewaySession? Session = null, long? Sequence = null);

/// <summary>
/// A shard the <see cref="ShardCoordinator"/> runs (<c>Discord:ShardIds=auto</c>): its id and the bot's shard count, the
/// session to RESUME (saved by the shard's last holder), the shared identify gate (the max_concurrency bucket across
/// instances) and where its dispatches go.
/// </summary>
internal sealed record GatewayShard(int Id, int Count, Bot.Core.Storage.ShardSession? Resume, Func<CancellationToken, Task> BeforeIdentify,
    System.Threading.Channels.ChannelWriter<GatewayDispatch> Output);

/// <summary>What READY said about the session.</summary>
internal sealed record GatewaySession(string SessionId, string ResumeUrl, string BotUserId, string ApplicationId);

/// <summary>Why the gateway client stopped for good.</summary>
internal sealed record GatewayStop(int CloseCode, string OperatorMessage);

/// <summary>Gateway opcodes and the intents the bot asks for.</summary>
internal static class GatewayOp
{
    public const int Dispatch = 0, Heartbeat = 1, Identify = 2, Resume = 6, Reconnect = 7, InvalidSession = 9, Hello = 10, HeartbeatAck = 11;

    /// <summary>GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT.</summary>
    public const int Intents = 1 | (1 << 9) | (1 << 12) | (1 << 15);
}
