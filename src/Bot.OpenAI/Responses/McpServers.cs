using Bot.Core.Tools.Http;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// The configured remote MCP servers as the <c>mcp</c> tools of a request (<c>server_label</c>, <c>server_url</c>,
/// <c>headers</c>, <c>allowed_tools</c>, <c>require_approval</c>). Header references are resolved once, here; the values
/// go only into request bodies, never into a log.
/// </summary>
internal sealed class McpServers
{
    private readonly List<Server> _servers;

    public McpServers(McpOptions options)
    {
        _servers = [.. options.Servers.Select(Resolve)];
        Labels = [.. _servers.Select(s => s.Label)];
    }

    public int Count => _servers.Count;

    /// <summary>The servers' labels, in configuration order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// Whether <paramref name="value"/> is a <see cref="McpServerOptions.RequireApproval"/> value (case-insensitive; empty
    /// means the default, always); <paramref name="always"/> is true unless it says never.
    /// </summary>
    public static bool TryParseApproval(string? value, out bool always)
    {
        var text = value?.Trim();
        always = !string.Equals(text, McpApproval.Never, StringComparison.OrdinalIgnoreCase);
        return !always || string.IsNullOrEmpty(text) || string.Equals(text, McpApproval.Always, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Adds one <c>mcp</c> tool per server whose label is not in <paramref name="disabled"/>; a new instance each time, as
    /// every request's options are its own.
    /// </summary>
    public void AddTo(IList<ResponseTool> tools, IReadOnlySet<string>? disabled = null)
    {
        foreach (var server in _servers)
        {
            if (disabled is { Count: > 0 } && disabled.Contains(server.Label))
                continue;
            var tool = new McpTool(server.Label, server.Url)
            {
                ToolCallApprovalPolicy = new McpToolCallApprovalPolicy(server.AlwaysAsk
                    ? DefaultMcpToolCallApprovalPolicy.AlwaysRequireApproval
                    : DefaultMcpToolCallApprovalPolicy.NeverRequireApproval),
            };
            if (server.Headers.Count > 0)
                tool.Headers = new Dictionary<string, string>(server.Headers, StringComparer.OrdinalIgnoreCase);
            if (server.AllowedTools.Count > 0)
            {
                var filter = new McpToolFilter();
                foreach (var name in server.AllowedTools)
                    filter.ToolNames.Add(name);
                tool.AllowedTools = filter;
            }

            tools.Add(tool);
        }
    }

    private static Server Resolve(McpServerOptions options)
    {
        // Validated at start: every reference resolves. One that no longer does is left out rather than sent empty.
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, template) in options.Headers)
        {
            if (HeaderValue.Resolve(template ?? "", out _) is { } value)
                headers[name] = value;
        }

        TryParseApproval(options.RequireApproval, out var always);
        return new Server(options.Label!, new Uri(options.Url!), headers, [.. options.AllowedTools.Where(t => !string.IsNullOrWhiteSpace(t))], always);
    }

    private sealed record Server(string Label, Uri Url, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string> AllowedTools, bool AlwaysAsk);
}
