using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

/// <summary>The fake's HTTP side: authentication, rate limits, the REST routes the bot uses, and the CDN.</summary>
public sealed partial class FakeDiscordServer
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (context.WebSockets.IsWebSocketRequest && (path == "/gateway" || path == "/resume"))
        {
            await Gateway.HandleAsync(context).ConfigureAwait(false);
            return;
        }

        if (path.StartsWith("/cdn/", StringComparison.Ordinal))
        {
            await CdnAsync(context, path).ConfigureAwait(false);
            return;
        }

        if (!path.StartsWith("/api/v10/", StringComparison.Ordinal))
        {
            await WriteAsync(context, 404, new JsonObject { ["message"] = "404: Not Found", ["code"] = 0 }).ConfigureAwait(false);
            return;
        }

        var route = path["/api/v10".Length..];
        var method = context.Request.Method;
        var (body, files) = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        var status = await DispatchRestAsync(context, method, route, body, files).ConfigureAwait(false);
        _requests.Enqueue(new FakeRestRequest(method, route, FakeRateLimits.Classify(method, route).Route, body, [.. files.Select(f => f.FileName)],
            DateTimeOffset.UtcNow, status, context.Request.Headers.Authorization.ToString(), context.Request.Headers.UserAgent.ToString()));
    }

    private async Task<int> DispatchRestAsync(HttpContext context, string method, string route, JsonNode? body, List<FakeAttachment> files)
    {
        if (context.Request.Headers.Authorization.ToString() != $"Bot {Token}")
            return await WriteAsync(context, 401, new JsonObject { ["message"] = "401: Unauthorized", ["code"] = 0 }).ConfigureAwait(false);

        if (TakeFault(method, route) is { } fault)
            return await Replay429Async(context, fault.RetryAfter, fault.Scope, null).ConfigureAwait(false);
        var (bucket, globalExceeded) = RateLimits.Take(method, route);
        SetBucketHeaders(context, bucket);
        if (globalExceeded)
            Interlocked.Increment(ref _globalRateLimited);
        if (!bucket.Allowed)
            return await Replay429Async(context, bucket.ResetAfter, globalExceeded ? "global" : "user", bucket).ConfigureAwait(false);

        var parts = route.Trim('/').Split('/');
        return (method, parts) switch
        {
            ("GET", ["gateway", "bot"]) => await WriteAsync(context, 200, new JsonObject
            {
                ["url"] = GatewayUri().ToString(), ["shards"] = Gateway.RecommendedShards,
                ["session_start_limit"] = new JsonObject
                {
                    ["total"] = 1000, ["remaining"] = 999, ["reset_after"] = 14_400_000, ["max_concurrency"] = Gateway.MaxConcurrency,
                },
            }).ConfigureAwait(false),
            ("PUT", ["applications", _, "commands"]) => await OverwriteCommandsAsync(context, body).ConfigureAwait(false),
            ("GET", ["channels", var channelId]) => await GetChannelAsync(context, channelId).ConfigureAwait(false),
            ("POST", ["channels", var channel, "messages"]) => await CreateMessageAsync(context, channel, body, files).ConfigureAwait(false),
            ("PATCH", ["channels", _, "messages", var id]) => await EditMessageAsync(context, id, body, files).ConfigureAwait(false),
            ("POST", ["channels", _, "typing"]) => await WriteAsync(context, 204, null).ConfigureAwait(false),
            ("POST", ["interactions", var id, var token, "callback"]) => await CallbackAsync(context, id, token, body).ConfigureAwait(false),
            ("PATCH", ["webhooks", _, var token, "messages", "@original"]) => await EditOriginalAsync(context, token, body).ConfigureAwait(false),
            ("POST", ["webhooks", _, var token]) => await EditOriginalAsync(context, token, body).ConfigureAwait(false),
            _ => await WriteAsync(context, 404, new JsonObject { ["message"] = "404: Not Found", ["code"] = 0 }).ConfigureAwait(false),
        };
    }

    private async Task<int> CreateMessageAsync(HttpContext context, string channel, JsonNode? body, List<FakeAttachment> files)
    {
        var content = body?["content"]?.GetValue<string>() ?? "";
        if (content.Length > 2000)
            return await InvalidFormAsync(context, "content: Must be 2000 or fewer in length.").ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(content) && files.Count == 0 && body?["components"] is null)
            return await WriteAsync(context, 400, new JsonObject { ["message"] = "Cannot send an empty message", ["code"] = 50006 }).ConfigureAwait(false);

        var flags = Flags(body);
        if ((flags & ~CreateFlags) != 0)
            return await InvalidFormAsync(context, $"flags: {flags} has bits a message can't be created with.").ConfigureAwait(false);
        if (ComponentError(body?["components"]) is { } componentError)
            return await InvalidFormAsync(context, componentError).ConfigureAwait(false);

        var message = new FakeMessage(NextId(), channel, body?["message_reference"]?["message_id"]?.GetValue<string>(), DateTimeOffset.UtcNow)
        {
            AllowedMentions = body?["allowed_mentions"]?.DeepClone(),
            Components = body?["components"]?.DeepClone().AsArray() ?? [],
            Flags = flags,
        };
        message.SetContent(content, message.CreatedAt);
        message.AddAttachments(files);
        _messages[message.Id] = message;
        var json = MessageJson(message);
        if (EchoBotMessages)
            await Gateway.DispatchAsync("MESSAGE_CREATE", json).ConfigureAwait(false);
        return await WriteAsync(context, 200, json).ConfigureAwait(false);
    }

    private async Task<int> EditMessageAsync(HttpContext context, string id, JsonNode? body, List<FakeAttachment> files)
    {
        if (!_messages.TryGetValue(id, out var message))
            return await WriteAsync(context, 404, new JsonObject { ["message"] = "Unknown Message", ["code"] = 10008 }).ConfigureAwait(false);
        if (body?["flags"] is not null && EditedFlags(message.Flags, Flags(body)) is null)
            return await InvalidFormAsync(context, "flags: only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can be changed on edit.").ConfigureAwait(false);
        if (ComponentError(body?["components"]) is { } componentError)
            return await InvalidFormAsync(context, componentError).ConfigureAwait(false);
        if (body?["content"] is { } content)
        {
            var text = content.GetValue<string>();
            if (text.Length > 2000)
                return await InvalidFormAsync(context, "content: Must be 2000 or fewer in length.").ConfigureAwait(false);
            message.SetContent(text, DateTimeOffset.UtcNow);
        }

        if (body?["allowed_mentions"] is { } mentions)
            message.AllowedMentions = mentions.DeepClone();
        if (body?["components"] is JsonArray components)
            message.Components = components.DeepClone().AsArray();
        if (body?["flags"] is not null)
            message.Flags = EditedFlags(message.Flags, Flags(body))!.Value;
        message.AddAttachments(files);
        return await WriteAsync(context, 200, MessageJson(message)).ConfigureAwait(false);
    }

    private async Task CdnAsync(HttpContext context, string path)
    {
        var key = path["/cdn/attachments/".Length..];
        var found = _cdn.TryGetValue(key, out var bytes);
        _requests.Enqueue(new FakeRestRequest("GET", path, "GET /cdn/attachments", null, [], DateTimeOffset.UtcNow, found ? 200 : 404,
            context.Request.Headers.Authorization.ToString(), context.Request.Headers.UserAgent.ToString()));
        if (!found)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    private JsonObject MessageJson(FakeMessage message)
    {
        var json = new JsonObject
        {
            ["id"] = message.Id, ["channel_id"] = message.ChannelId, ["type"] = message.ReplyTo is null ? 0 : 19, ["content"] = message.Content,
            ["author"] = new JsonObject { ["id"] = BotUserId, ["username"] = "Chat SDK Demo", ["bot"] = true },
            ["mentions"] = new JsonArray(), ["mention_roles"] = new JsonArray(), ["components"] = message.Components.DeepClone(),
            ["timestamp"] = message.CreatedAt.ToString("O", CultureInfo.InvariantCulture), ["flags"] = message.Flags,
            ["attachments"] = new JsonArray([.. message.Attachments.Select(a => (JsonNode)new JsonObject { ["filename"] = a.FileName, ["size"] = a.Size })]),
        };
        if (message.ReplyTo is not null)
            json["message_reference"] = new JsonObject { ["message_id"] = message.ReplyTo };
        return json;
    }

    private InjectedFault? TakeFault(string method, string route)
    {
        var first = _faults.ToArray().FirstOrDefault(f => f.Method == method && route.StartsWith(f.PathPrefix, StringComparison.Ordinal));
        if (first is null)
            return null;
        // Remove that one fault, keeping the others in order.
        var kept = new List<InjectedFault>();
        var removed = false;
        while (_faults.TryDequeue(out var fault))
        {
            if (!removed && ReferenceEquals(fault, first))
                removed = true;
            else
                kept.Add(fault);
        }

        kept.ForEach(_faults.Enqueue);
        return first;
    }

    // The recorded 429 (headers and body) with this fake's retry_after.
    private async Task<int> Replay429Async(HttpContext context, TimeSpan retryAfter, string scope, BucketState? bucket)
    {
        var global = scope == "global";
        var lines = File.ReadAllLines(Fixtures.Path("discord", global ? "rest_429_global_rate_limit.http" : "rest_429_user_rate_limit.http"));
        var seconds = Math.Round(Math.Max(retryAfter.TotalSeconds, 0.001), 3);
        foreach (var line in lines.Where(l => l.StartsWith("< ", StringComparison.Ordinal) && l.Contains(':', StringComparison.Ordinal)))
        {
            var (name, value) = (line[2..line.IndexOf(':', StringComparison.Ordinal)], line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim());
            context.Response.Headers[name] = name switch
            {
                "Retry-After" => Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture),
                "X-RateLimit-Reset-After" => seconds.ToString(CultureInfo.InvariantCulture),
                "X-RateLimit-Scope" => scope,
                "X-RateLimit-Bucket" => bucket?.Hash ?? value,
                "X-RateLimit-Limit" => (bucket?.Limit ?? 5).ToString(CultureInfo.InvariantCulture),
                _ => value,
            };
        }

        var body = JsonNode.Parse(string.Join('\n', lines.SkipWhile(l => !l.StartsWith('{'))))!;
        body["retry_after"] = seconds;
        return await WriteAsync(context, 429, body).ConfigureAwait(false);
    }

    private static void SetBucketHeaders(HttpContext context, BucketState bucket)
    {
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = bucket.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset-After"] = Math.Max(bucket.ResetAfter.TotalSeconds, 0).ToString("0.000", CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = (DateTimeOffset.UtcNow + bucket.ResetAfter).ToUnixTimeMilliseconds() / 1000.0 is var reset
            ? reset.ToString("0.000", CultureInfo.InvariantCulture) : "";
        headers["X-RateLimit-Bucket"] = bucket.Hash;
    }

    private static async Task<(JsonNode? Body, List<FakeAttachment> Files)> ReadBodyAsync(HttpRequest request)
    {
        var files = new List<FakeAttachment>();
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync().ConfigureAwait(false);
            foreach (var file in form.Files.Where(f => f.Name.StartsWith("files[", StringComparison.Ordinal)))
                files.Add(new FakeAttachment(file.FileName, file.ContentType, file.Length));
            return (form.TryGetValue("payload_json", out var json) ? JsonNode.Parse(json.ToString()) : null, files);
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        return (text.Length == 0 ? null : JsonNode.Parse(text), files);
    }

    private static Task<int> InvalidFormAsync(HttpContext context, string message) =>
        WriteAsync(context, 400, new JsonObject { ["message"] = "Invalid Form Body", ["code"] = 50035, ["errors"] = message });

    private static async Task<int> WriteAsync(HttpContext context, int status, JsonNode? body)
    {
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
        }

        return status;
    }

}
