namespace Bot.Discord.Rest;

/// <summary>The routes the bot uses.</summary>
internal sealed partial class DiscordRestClient
{
    /// <summary>Interaction callback: respond within 3 s.</summary>
    public const int CallbackMessage = 4, CallbackDeferredMessage = 5, CallbackUpdateMessage = 7, CallbackAutocompleteResult = 8;

    /// <summary>GET /gateway/bot: the gateway URL, recommended shards and the session start limit.</summary>
    public Task<JsonNode?> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, "/gateway/bot", null, cancellationToken);

    /// <summary>Replaces the application's global commands with <paramref name="commands"/>.</summary>
    public Task<JsonNode?> OverwriteCommandsAsync(string applicationId, JsonArray commands, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Put, $"/applications/{applicationId}/commands", commands, cancellationToken);

    /// <summary>GET /channels/{id}: a channel object (a thread's tells its parent channel).</summary>
    public Task<JsonNode?> GetChannelAsync(string channelId, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, $"/channels/{channelId}", null, cancellationToken);

    /// <summary>Posts a message (with files: multipart) and returns its id.</summary>
    public async Task<string> CreateMessageAsync(string channelId, JsonObject message, IReadOnlyList<UploadFile>? files = null,
        CancellationToken cancellationToken = default)
    {
        var path = $"/channels/{channelId}/messages";
        var created = files is { Count: > 0 }
            ? await SendMultipartAsync(HttpMethod.Post, path, WithAttachments(message, files), files, cancellationToken).ConfigureAwait(false)
            : await SendJsonAsync(HttpMethod.Post, path, message, cancellationToken).ConfigureAwait(false);
        return created?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("Discord's create-message answer had no id.");
    }

    /// <summary>Edits a message the bot posted (with files: multipart, adding them as attachments).</summary>
    public Task EditMessageAsync(string channelId, string messageId, JsonObject changes, IReadOnlyList<UploadFile>? files = null,
        CancellationToken cancellationToken = default)
    {
        var path = $"/channels/{channelId}/messages/{messageId}";
        return files is { Count: > 0 }
            ? SendMultipartAsync(HttpMethod.Patch, path, WithAttachments(changes, files), files, cancellationToken)
            : SendJsonAsync(HttpMethod.Patch, path, changes, cancellationToken);
    }

    /// <summary>Shows "Bot is typing…" in the channel for about 10 s.</summary>
    public Task TriggerTypingAsync(string channelId, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, $"/channels/{channelId}/typing", null, cancellationToken);

    /// <summary>The initial response to an interaction.</summary>
    public Task RespondAsync(string interactionId, string token, int type, JsonObject? data = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["type"] = type };
        if (data is not null)
            body["data"] = data;
        return SendJsonAsync(HttpMethod.Post, $"/interactions/{interactionId}/{token}/callback", body, cancellationToken);
    }

    /// <summary>Edits the interaction's original response (e.g. after a deferred response).</summary>
    public Task EditOriginalResponseAsync(string applicationId, string token, JsonObject message, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Patch, $"/webhooks/{applicationId}/{token}/messages/@original", message, cancellationToken);

    /// <summary>Sends a followup message for an interaction.</summary>
    public Task FollowupAsync(string applicationId, string token, JsonObject message, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, $"/webhooks/{applicationId}/{token}", message, cancellationToken);

    /// <summary>A message body that pings nobody (<c>allowed_mentions</c> with nothing to parse), optionally a reply, with these flags.</summary>
    public static JsonObject Message(string? content, string? replyTo = null, int flags = 0)
    {
        var message = new JsonObject { ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray(), ["replied_user"] = false } };
        if (content is not null)
            message["content"] = content;
        if (replyTo is not null)
            message["message_reference"] = new JsonObject { ["message_id"] = replyTo, ["fail_if_not_exists"] = false };
        return WithFlags(message, flags);
    }

    /// <summary>
    /// Sets <c>flags</c> on a create or edit body, unless there are none to set (an edit without <c>flags</c> keeps the
    /// message's own; an edit with them replaces them, so every edit repeats the flags the message was created with).
    /// </summary>
    public static JsonObject WithFlags(JsonObject body, int flags)
    {
        if (flags != 0)
            body["flags"] = flags;
        return body;
    }

    private static JsonObject WithAttachments(JsonObject payload, IReadOnlyList<UploadFile> files)
    {
        var attachments = new JsonArray();
        for (var i = 0; i < files.Count; i++)
            attachments.Add(new JsonObject { ["id"] = i, ["filename"] = files[i].FileName });
        payload["attachments"] = attachments;
        return payload;
    }
}
