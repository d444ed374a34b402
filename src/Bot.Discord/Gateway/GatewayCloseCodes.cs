namespace Bot.Discord.Gateway;

/// <summary>What to do after the gateway connection ended.</summary>
internal enum ReconnectAction
{
    /// <summary>Reconnect and resume the session.</summary>
    Resume,
    /// <summary>Reconnect with a new session (Identify).</summary>
    Identify,
    /// <summary>Do not reconnect: a setting must be fixed first.</summary>
    Fatal,
}

/// <summary>Discord's gateway close codes and what each means for the operator.</summary>
internal static class GatewayCloseCodes
{
    /// <summary>How to go on after the server closed with <paramref name="code"/> (null: the connection dropped).</summary>
    public static ReconnectAction Action(int? code) => code switch
    {
        4004 or (>= 4010 and <= 4014) => ReconnectAction.Fatal,
        // Not authenticated, old session invalid, bad seq, session timed out, or a deliberate clean close.
        4003 or 4006 or 4007 or 4009 or 1000 or 1001 => ReconnectAction.Identify,
        _ => ReconnectAction.Resume,
    };

    /// <summary>The message for the operator when a fatal code stops the Discord channel.</summary>
    public static string OperatorMessage(int code) => code switch
    {
        4004 => "Discord rejected the bot token (close code 4004, authentication failed). Set Discord:Token (environment variable " +
                "Discord__Token) to the token on the Bot page of your application in the Discord Developer Portal, then restart.",
        4010 => "Discord rejected the shard (close code 4010, invalid shard). Check Discord:ShardId and Discord:ShardCount.",
        4011 => "Discord requires sharding for this bot (close code 4011). Set Discord:ShardCount to the count GET /gateway/bot " +
                "recommends and run one process per Discord:ShardId, or set Discord:ShardIds=auto and Discord:ShardCount=auto so " +
                "that the instances on one store share the shards.",
        4012 => "Discord rejected the gateway API version (close code 4012). Check Discord:GatewayUrl.",
        4013 => "Discord rejected the intents (close code 4013, invalid intents).",
        4014 => "Discord refused a privileged intent (close code 4014, disallowed intents). Enable the Message Content intent in the " +
                "Discord Developer Portal (your application → Bot → Privileged Gateway Intents → Message Content Intent), then restart.",
        _ => $"The Discord gateway closed with code {code}.",
    };
}
