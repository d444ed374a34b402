using Microsoft.Extensions.Configuration;

namespace Bot.Core.Tools.Http;

/// <summary>
/// Function tools that call an HTTP endpoint, declared in configuration (section <c>Tools</c>, keys
/// <c>Tools:Http:{i}:*</c> and <c>Tools:HttpMaxResponseBytes</c>).
/// </summary>
public sealed class HttpToolsOptions
{
    public const string SectionName = "Tools";

    /// <summary>The configured tools, in key order.</summary>
    public List<HttpToolOptions> Http { get; set; } = [];

    /// <summary>Most bytes of a response body a tool reads; a tool's own <see cref="HttpToolOptions.MaxResponseBytes"/> wins.</summary>
    public int HttpMaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Reads section <c>Tools</c>. Each tool is read key by key rather than by the binder, which silently drops a list
    /// item it cannot bind (a <c>Parameters</c> written as a section): here such a tool stays, and validation names it.
    /// </summary>
    internal void Read(IConfigurationSection section)
    {
        HttpMaxResponseBytes = section.GetValue(nameof(HttpMaxResponseBytes), HttpMaxResponseBytes);
        Http = [.. section.GetSection(nameof(Http)).GetChildren().Select(HttpToolOptions.Read)];
    }
}

/// <summary>One HTTP function tool (<c>Tools:Http:{i}</c>): what the model sees and where the call goes.</summary>
public sealed class HttpToolOptions
{
    /// <summary>Where the tool is configured (<c>Tools:Http:0</c>), for messages; empty when set up in code.</summary>
    public string? Key { get; set; }

    /// <summary>The function name the model uses: letters, digits, <c>_</c> and <c>-</c>, at most 64.</summary>
    public string? Name { get; set; }

    /// <summary>What the function does, for the model.</summary>
    public string? Description { get; set; }

    /// <summary>The endpoint: absolute https (http only for loopback). The tool calls exactly this URL.</summary>
    public string? Url { get; set; }

    /// <summary>GET (arguments in the query string) or POST, PUT, PATCH, DELETE (arguments as a JSON body).</summary>
    public string Method { get; set; } = "POST";

    /// <summary>The JSON Schema of the arguments, written as one JSON string; empty = no arguments.</summary>
    public string? Parameters { get; set; }

    /// <summary>Request headers; a value may contain <c>${env:NAME}</c>, replaced by that environment variable.</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Longest wait for the answer, body included. <c>Conversations:ToolTimeout</c> still caps it.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes of the response body read; empty = <see cref="HttpToolsOptions.HttpMaxResponseBytes"/>.</summary>
    public int? MaxResponseBytes { get; set; }

    internal static HttpToolOptions Read(IConfigurationSection section)
    {
        var tool = new HttpToolOptions
        {
            Key = section.Path,
            Name = section[nameof(Name)],
            Description = section[nameof(Description)],
            Url = section[nameof(Url)],
            Parameters = section[nameof(Parameters)],
        };
        tool.Method = section[nameof(Method)] ?? tool.Method;
        tool.Timeout = section.GetValue(nameof(Timeout), tool.Timeout);
        tool.MaxResponseBytes = section.GetValue<int?>(nameof(MaxResponseBytes));
        foreach (var header in section.GetSection(nameof(Headers)).GetChildren())
            tool.Headers[header.Key] = header.Value ?? "";
        return tool;
    }
}
