using Bot.Core.Replies;
using Bot.Teams.Adapter;

namespace Bot.Teams.Replies;

/// <summary>Builds the activities the bot sends (teams.md §2.3, §4.5, §5.2).</summary>
internal static class OutgoingActivities
{
    public static JsonObject Message(ReplyAddress address, string text) => new()
    {
        ["type"] = "message",
        ["text"] = text,
        ["textFormat"] = "markdown",
        ["from"] = address.Bot is null ? null : new JsonObject { ["id"] = address.Bot },
        ["conversation"] = new JsonObject { ["id"] = address.ConversationId },
    };

    /// <summary>A message whose only content is one Adaptive Card.</summary>
    public static JsonObject Card(ReplyAddress address, JsonObject card)
    {
        var message = Message(address, "");
        message.Remove("text");
        message.Remove("textFormat");
        message["attachments"] = new JsonArray(new JsonObject { ["contentType"] = ApprovalCard.ContentType, ["content"] = card });
        return message;
    }

    public static JsonObject Typing(ReplyAddress address) => new()
    {
        ["type"] = "typing",
        ["conversation"] = new JsonObject { ["id"] = address.ConversationId },
    };

    /// <summary>An informative or streaming update (a typing activity carrying a streaminfo entity).</summary>
    public static JsonObject StreamUpdate(ReplyAddress address, string text, string streamType, int sequence, string? streamId)
    {
        var info = new JsonObject { ["type"] = "streaminfo", ["streamType"] = streamType, ["streamSequence"] = sequence };
        if (streamId is not null)
            info["streamId"] = streamId;
        var activity = Typing(address);
        activity["text"] = text;
        activity["entities"] = new JsonArray(info);
        return activity;
    }

    /// <summary>An inline image (a base64 data URI), shown in every scope.</summary>
    public static JsonObject InlineImage(OutputFile file) => new()
    {
        ["contentType"] = file.MediaType,
        ["contentUrl"] = $"data:{file.MediaType};base64,{Convert.ToBase64String(file.Content.Span)}",
        ["name"] = file.FileName,
    };

    public static bool IsInlineImage(OutputFile file) =>
        file.MediaType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>
    /// The citation entity of a final message (teams.md §4.5): one Claim per source, at the position of its <c>[n]</c>
    /// marker, built from the reply's structured citations. Null when there are none.
    /// </summary>
    public static JsonObject? CitationEntity(IReadOnlyList<ReplyCitation> citations)
    {
        if (citations.Count == 0)
            return null;
        var claims = new JsonArray();
        foreach (var citation in citations)
        {
            var appearance = new JsonObject
            {
                ["@type"] = "DigitalDocument",
                ["name"] = Cut(citation.Title, 80),
                ["abstract"] = Cut(citation.Quote ?? $"Cited from {citation.Title}", 140),
            };
            if (citation.Url is { } url)
                appearance["url"] = url;
            claims.Add(new JsonObject { ["@type"] = "Claim", ["position"] = citation.Number, ["appearance"] = appearance });
        }

        return new JsonObject
        {
            ["type"] = "https://schema.org/Message",
            ["@type"] = "Message",
            ["@context"] = "https://schema.org",
            ["@id"] = "",
            ["citation"] = claims,
        };
    }

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}
