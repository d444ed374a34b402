namespace Bot.OpenAI;

/// <summary>
/// Remote MCP servers the assistant may use (configuration section <c>OpenAI:Mcp</c>; Responses API only). Each server
/// is sent as an <c>mcp</c> tool with every request; the service calls it, not the bot.
/// </summary>
public sealed class McpOptions
{
    /// <summary>The servers, in key order (<c>OpenAI:Mcp:Servers:{i}:*</c>).</summary>
    public List<McpServerOptions> Servers { get; set; } = [];

    /// <summary>
    /// How long the person who asked has to approve a call before it counts as denied (default 5 minutes). The turn
    /// timeout (<c>Conversations:TurnTimeout</c>) does not run meanwhile.
    /// </summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One remote MCP server (<c>OpenAI:Mcp:Servers:{i}</c>).</summary>
public sealed class McpServerOptions
{
    /// <summary>The name the model and the chat know the server by (<c>server_label</c>): a letter, then letters, digits, _ or -.</summary>
    public string? Label { get; set; }

    /// <summary>The server's address: absolute https (http only for loopback addresses, for tests).</summary>
    public string? Url { get; set; }

    /// <summary>
    /// HTTP headers the service sends to the server (for example <c>Authorization</c>); a value may contain
    /// <c>${env:NAME}</c>, replaced by that environment variable. Values are never logged.
    /// </summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The only tools of the server the model may use; empty = all of them.</summary>
    public List<string> AllowedTools { get; set; } = [];

    /// <summary>
    /// <c>always</c> (the default, and the safer: every call waits for the asker's Approve) or <c>never</c> (calls run
    /// without asking).
    /// </summary>
    public string RequireApproval { get; set; } = McpApproval.Always;
}

/// <summary>The values of <see cref="McpServerOptions.RequireApproval"/>.</summary>
public static class McpApproval
{
    public const string Always = "always";
    public const string Never = "never";
}
