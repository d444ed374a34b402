using System.Text.Json;

namespace Bot.Web.Threads;

/// <summary>The JSON shape of the API, the events and the transcripts (camelCase, like the page's JavaScript).</summary>
internal static class WebJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
