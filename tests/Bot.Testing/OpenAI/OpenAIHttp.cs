using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>Writing JSON bodies, OpenAI error bodies and paged lists; reading JSON request bodies.</summary>
internal static class OpenAIHttp
{
    public const string InvalidJsonMessage =
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
        "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)";

    /// <summary>The error `type` the service uses for a status.</summary>
    public static string ErrorType(int status) => status switch
    {
        429 => "requests",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>Writes `{"error":{"message","type","param","code"}}` with the status (and `Retry-After` in whole seconds).</summary>
    public static Task WriteErrorAsync(
        HttpContext context,
        int status,
        string message,
        string? code = null,
        string? param = null,
        string? type = null,
        TimeSpan? retryAfter = null)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return WriteJsonAsync(context, status, (message, code, param, type: type ?? ErrorType(status)), static (w, e) =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", e.message);
            w.WriteString("type", e.type);
            w.WriteString("param", e.param);
            w.WriteString("code", e.code);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    public static Task NotFoundAsync(HttpContext context, string message, string? param = null) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, message, param: param);

    public static Task BadRequestAsync(HttpContext context, string message, string? code = null, string? param = null) =>
        WriteErrorAsync(context, StatusCodes.Status400BadRequest, message, code, param);

    public static async Task WriteJsonAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonNames.WriterOptions))
        {
            write(writer, state);
        }

        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task OkAsync<TState>(HttpContext context, TState state, Action<Utf8JsonWriter, TState> write) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, state, write);

    public static Task DeletedAsync(HttpContext context, string id, string objectType) =>
        OkAsync(context, (id, objectType), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.id);
            w.WriteString("object", s.objectType);
            w.WriteBoolean("deleted", true);
            w.WriteEndObject();
        });

    /// <summary>Reads a JSON body; an empty body reads as `{}`. Null (after writing a 400) when it is not JSON.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        }
        catch (JsonException)
        {
            await BadRequestAsync(context, InvalidJsonMessage).ConfigureAwait(false);
            return null;
        }
    }

    public static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var memory = new MemoryStream();
        await context.Request.Body.CopyToAsync(memory, context.RequestAborted).ConfigureAwait(false);
        return memory.ToArray();
    }

    public static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? string.Empty;

    /// <summary>
    /// Writes a cursor page `{"object":"list","data","first_id","last_id","has_more"}` from items kept oldest first,
    /// honouring `limit` (default 20), `order` (default desc) and `after`.
    /// </summary>
    public static void WriteList<T>(Utf8JsonWriter w, HttpRequest request, IReadOnlyList<T> items, Func<T, string> idOf, Action<Utf8JsonWriter, T> write)
    {
        var limit = int.TryParse(request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 20;
        var ascending = request.Query["order"] == "asc";
        var after = request.Query["after"].ToString();
        var ordered = ascending ? items : items.Reverse().ToList();
        var start = 0;
        if (after.Length > 0)
        {
            var index = ordered.ToList().FindIndex(item => idOf(item) == after);
            start = index < 0 ? ordered.Count : index + 1;
        }

        var page = ordered.Skip(start).Take(limit).ToList();
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var item in page)
        {
            write(w, item);
        }

        w.WriteEndArray();
        w.WriteString("first_id", page.Count > 0 ? idOf(page[0]) : null);
        w.WriteString("last_id", page.Count > 0 ? idOf(page[^1]) : null);
        w.WriteBoolean("has_more", start + page.Count < ordered.Count);
        w.WriteEndObject();
    }

    public static Dictionary<string, string> ReadMetadata(JsonElement root)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var element = ParsedResponseRequest.Property(root, "metadata");
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                metadata[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return metadata;
    }

    public static void WriteMetadata(Utf8JsonWriter w, Dictionary<string, string> metadata)
    {
        w.WriteStartObject("metadata");
        foreach (var (key, value) in metadata)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
