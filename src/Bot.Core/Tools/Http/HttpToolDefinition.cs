using System.Text.Json;

namespace Bot.Core.Tools.Http;

/// <summary>One configured HTTP tool, checked and ready to call: header references resolved, schema parsed.</summary>
internal sealed class HttpToolDefinition
{
    private HttpToolDefinition(HttpToolOptions tool, HttpToolsOptions all)
    {
        Name = tool.Name!;
        Description = tool.Description ?? "";
        Url = new Uri(tool.Url!, UriKind.Absolute);
        Method = new HttpMethod(tool.Method.ToUpperInvariant());
        ParametersJsonSchema = string.IsNullOrWhiteSpace(tool.Parameters) ? ArgumentSchema.NoArguments : tool.Parameters;
        using (var document = JsonDocument.Parse(ParametersJsonSchema))
            Schema = document.RootElement.Clone();
        Headers = tool.Headers.Select(h => KeyValuePair.Create(h.Key, HeaderValue.Resolve(h.Value ?? "", out _)
            ?? throw new InvalidOperationException($"Header {h.Key} of the HTTP tool '{Name}' cannot be resolved."))).ToList();
        Timeout = tool.Timeout;
        MaxResponseBytes = tool.MaxResponseBytes ?? all.HttpMaxResponseBytes;
    }

    public string Name { get; }

    public string Description { get; }

    public Uri Url { get; }

    public HttpMethod Method { get; }

    public string ParametersJsonSchema { get; }

    public JsonElement Schema { get; }

    /// <summary>Header names and their resolved values (secrets: never log them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public TimeSpan Timeout { get; }

    public int MaxResponseBytes { get; }

    /// <summary>The definition of tool <paramref name="index"/> of validated options.</summary>
    public static HttpToolDefinition From(HttpToolsOptions options, int index) => new(options.Http[index], options);
}
