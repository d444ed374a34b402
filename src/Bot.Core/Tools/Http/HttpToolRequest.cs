using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Bot.Core.Tools.Http;

/// <summary>Builds the request for one call: the configured URL and headers, the model's arguments in the query or body.</summary>
internal static class HttpToolRequest
{
    public static HttpRequestMessage Create(HttpToolDefinition tool, JsonElement arguments)
    {
        HttpRequestMessage request;
        if (tool.Method == HttpMethod.Get)
        {
            request = new HttpRequestMessage(HttpMethod.Get, WithQuery(tool.Url, arguments));
        }
        else
        {
            request = new HttpRequestMessage(tool.Method, tool.Url)
            {
                Content = new StringContent(arguments.GetRawText(), Encoding.UTF8, "application/json"),
            };
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*", 0.5));
        foreach (var (name, value) in tool.Headers)
        {
            request.Headers.Remove(name);
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                // Content-Type and its kin belong to the body's headers.
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>
    /// The URL with each top-level argument appended as <c>name=value</c> (after any query the URL already has): strings
    /// as they are, numbers and booleans as JSON writes them, each item of a list as its own pair, objects as JSON,
    /// nulls left out.
    /// </summary>
    private static Uri WithQuery(Uri url, JsonElement arguments)
    {
        var query = new StringBuilder(url.Query.TrimStart('?'));
        if (arguments.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in arguments.EnumerateObject())
            {
                var values = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : [property.Value];
                foreach (var value in values)
                {
                    if (QueryValue(value) is not { } text)
                        continue;
                    if (query.Length > 0)
                        query.Append('&');
                    query.Append(Uri.EscapeDataString(property.Name)).Append('=').Append(Uri.EscapeDataString(text));
                }
            }
        }

        return new UriBuilder(url) { Query = query.ToString() }.Uri;
    }

    private static string? QueryValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };
}
