using System.Security.Cryptography;
using System.Text;
using Bot.Core.Conversations;

namespace Bot.Core.Telemetry;

/// <summary>Conversation keys as they appear in traces: a short one-way hash, so a trace can be followed but not traced back.</summary>
public static class TelemetryHash
{
    /// <summary>The first 16 hex digits of the SHA-256 of the key.</summary>
    public static string Of(ConversationKey key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
}
