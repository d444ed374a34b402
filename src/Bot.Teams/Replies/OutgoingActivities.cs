using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Core.Channels;
using Bot.Teams.Adapter;

namespace Bot.Teams.Replies;

/// <summary>Builds the activities the bot sends (teams.md §2.3, §4.5, §5.2).</summary>
internal static partial class OutgoingActivities
{
    public static JsonObject Message(ReplyAddress address, string text) => new()
    {
        ["type"] = "message",
        ["text"] = text,
        ["textFormat"] = "markdown",
        ["from"] = address.Bot is null ? null : new JsonObject { ["id"] = address.Bot },
        ["conversation"] = new JsonObject { ["id"] = address.ConversationId },
    };

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
    /// Turns the core's footnote list ("[1] report.pdf" lines closing the text) into a Teams citation entity, the
    /// markers in the text staying where they are. Returns the text without the list, or the text unchanged and null:
    /// also when the list only looks like the core's (a number that is no position: "[١]", "[0]", "[99999999999]").
    /// </summary>
    public static (string Text, JsonObject? Entity) Citations(string text)
    {
        var match = FootnoteBlock().Match(text);
        if (!match.Success)
            return (text, null);
        var claims = new JsonArray();
        foreach (Match line in FootnoteLine().Matches(match.Value))
        {
            if (!int.TryParse(line.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position < 1)
                return (text, null);
            var name = line.Groups[2].Value.Trim();
            claims.Add(new JsonObject
            {
                ["@type"] = "Claim",
                ["position"] = position,
                ["appearance"] = new JsonObject
                {
                    ["@type"] = "DigitalDocument",
                    ["name"] = name.Length > 80 ? name[..80] : name,
                    ["abstract"] = $"Cited from {(name.Length > 140 ? name[..140] : name)}",
                },
            });
        }

        var entity = new JsonObject
        {
            ["type"] = "https://schema.org/Message",
            ["@type"] = "Message",
            ["@context"] = "https://schema.org",
            ["@id"] = "",
            ["citation"] = claims,
        };
        return (text[..match.Index].TrimEnd(), entity);
    }

    // The status line ReplyLayout appends while a tool works ("\n\n_Running code…_"); streamed text must only grow.
    public static (string Body, string? Status) SplitStatus(string text)
    {
        var match = StatusLine().Match(text);
        return match.Success ? (text[..match.Index], match.Groups[1].Value) : (text, null);
    }

    // [0-9], not \d: \d also matches the digits of other scripts, which are no footnote numbers of ours.
    [GeneratedRegex(@"\n\n(\[[0-9]+\] [^\n]+)(\n\[[0-9]+\] [^\n]+)*\z")]
    private static partial Regex FootnoteBlock();

    [GeneratedRegex(@"\[([0-9]+)\] ([^\n]+)")]
    private static partial Regex FootnoteLine();

    [GeneratedRegex(@"(?:\n\n|\A)_([^_\n]+…)_\z")]
    private static partial Regex StatusLine();
}
