namespace Bot.Discord.Gateway;

/// <summary>A dispatch (op 0) from the gateway: its event name and data.</summary>
internal sealed record GatewayDispatch(string Type, JsonElement Data);

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
