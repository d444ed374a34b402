using System.Text.RegularExpressions;
using Bot.Core.Conversations;

namespace Bot.Teams.Adapter;

/// <summary>Translates a Teams message activity into the core's <see cref="IncomingMessage"/> (teams.md §3–4).</summary>
internal static partial class IncomingTranslator
{
    public const string FileDownloadInfo = "application/vnd.microsoft.teams.file.download.info";

    public static string Scope(Activity activity) => activity.Conversation?.ConversationType switch
    {
        Scopes.Personal => Scopes.Personal,
        Scopes.Channel => Scopes.Channel,
        Scopes.GroupChat => Scopes.GroupChat,
        _ => activity.Conversation?.IsGroup == true ? Scopes.GroupChat : Scopes.Personal,
    };

    /// <summary>Where replies to the activity go; its tenant (checked by the endpoint) becomes part of the conversation's key.</summary>
    public static ReplyAddress Address(Activity activity)
    {
        ActivityTenant.TryResolve(activity, out var tenant);
        return new(activity.ServiceUrl!, activity.Conversation!.Id!, activity.Id, Scope(activity), activity.Recipient?.Id, tenant ?? "");
    }

    /// <summary>The text with the bot's own mentions removed (by the entity's exact text), entities decoded, spaces tidied.</summary>
    public static string Text(Activity activity)
    {
        var text = activity.Text ?? "";
        foreach (var entity in activity.Entities ?? [])
        {
            if (!IsMentionOf(entity, activity.Recipient?.Id))
                continue;
            var markup = entity.TryGetProperty("text", out var t) ? t.GetString() : null;
            if (string.IsNullOrEmpty(markup) && entity.TryGetProperty("mentioned", out var m) && m.TryGetProperty("name", out var n))
                markup = $"<at>{n.GetString()}</at>";
            if (!string.IsNullOrEmpty(markup))
                text = text.Replace(markup, " ", StringComparison.OrdinalIgnoreCase);
        }

        text = text.Replace("&nbsp;", " ", StringComparison.Ordinal).Replace('\u00a0', ' ');
        return Spaces().Replace(text, " ").Trim();
    }

    /// <summary>Files and pasted images of a personal-chat message; cards and the HTML copy of the text are skipped.</summary>
    public static List<IncomingAttachment> Attachments(Activity activity)
    {
        var files = new List<IncomingAttachment>();
        Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl);
        foreach (var attachment in activity.Attachments ?? [])
        {
            var type = attachment.ContentType ?? "";
            if (type == FileDownloadInfo && attachment.Content is { ValueKind: JsonValueKind.Object } content
                && content.TryGetProperty("downloadUrl", out var download) && Uri.TryCreate(download.GetString(), UriKind.Absolute, out var downloadUrl))
            {
                var name = attachment.Name ?? "file" + (content.TryGetProperty("fileType", out var ft) ? "." + ft.GetString() : "");
                files.Add(new IncomingAttachment(name, null, null, AttachmentSource.Format(downloadUrl, withToken: false)));
            }
            else if (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(attachment.ContentUrl, UriKind.Absolute, out var imageUrl))
            {
                // A pasted image lives on the Connector that sent the activity: only then does the bot's token go with the GET.
                var withToken = serviceUrl is not null && string.Equals(imageUrl.Authority, serviceUrl.Authority, StringComparison.OrdinalIgnoreCase);
                var name = attachment.Name ?? "image" + Extension(type);
                files.Add(new IncomingAttachment(name, type.EndsWith("/*", StringComparison.Ordinal) ? null : type, null,
                    AttachmentSource.Format(imageUrl, withToken)));
            }
        }

        return files;
    }

    public static bool IsMentionOf(JsonElement entity, string? id) =>
        id is not null && entity.ValueKind == JsonValueKind.Object
        && entity.TryGetProperty("type", out var type) && type.GetString() == "mention"
        && entity.TryGetProperty("mentioned", out var mentioned) && mentioned.TryGetProperty("id", out var mentionedId)
        && string.Equals(mentionedId.GetString(), id, StringComparison.Ordinal);

    private static string Extension(string contentType) => contentType.ToLowerInvariant() switch
    {
        "image/jpeg" or "image/jpg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        _ => ".png",
    };

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex Spaces();
}
