using System.Text;
using Bot.Core.Moderation;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// Posts a short notice about flagged input to <c>Moderation:AlertChannelId</c>: who (a mention that pings nobody),
/// where, and the categories; never the message text. Nothing happens when no alert channel is set.
/// </summary>
internal sealed class DiscordModerationAlerts(DiscordRestClient rest, ModerationOptions options, ILogger<DiscordModerationAlerts> logger) : IModerationAlerts
{
    private const int MaxIdLength = 100;

    public async Task NotifyAsync(ModerationAlert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (string.IsNullOrEmpty(options.AlertChannelId))
            return;
        try
        {
            // Message() sets allowed_mentions to parse nothing: the user mention shows who it was without pinging anyone.
            await rest.CreateMessageAsync(options.AlertChannelId, DiscordRestClient.Message(Notice(alert)), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ModerationAlertFailed(logger, options.AlertChannelId, ex);
        }
    }

    /// <summary>The notice's text: ids from Discord become mentions, anything else shows as code, categories as given.</summary>
    internal static string Notice(ModerationAlert alert)
    {
        var discord = alert.Conversation.Channel == DiscordChannel.ChannelName;
        var who = discord && IsSnowflake(alert.UserId) ? $"<@{alert.UserId}>" : $"`{Plain(alert.UserId)}`";
        var where = discord ? DiscordPlace(alert.Conversation.ConversationId) : $"{Plain(alert.Conversation.Channel)} `{Plain(alert.Conversation.ConversationId)}`";
        var categories = alert.Categories.Count == 0 ? "unspecified" : string.Join(", ", alert.Categories.Select(Plain));
        return $"🛡️ Moderation refused a message from {who} in {where}. Categories: {categories}.";
    }

    private static string DiscordPlace(string conversationId)
    {
        var parts = conversationId.Split(':');
        return parts switch
        {
            ["dm", _] => "a direct message",
            ["thread" or "channel", var id, ..] when IsSnowflake(id) => $"<#{id}>",
            _ => $"`{Plain(conversationId)}`",
        };
    }

    private static bool IsSnowflake(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit);

    // Keeps what an id or a category name is made of; markup, mention syntax and control characters go.
    private static string Plain(string text)
    {
        var plain = new StringBuilder(Math.Min(text.Length, MaxIdLength));
        foreach (var c in text.Take(MaxIdLength))
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.' or '/' or '|')
                plain.Append(c);
        }

        return plain.Length == 0 ? "?" : plain.ToString();
    }
}
