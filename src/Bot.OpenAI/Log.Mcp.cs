using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

// Remote MCP servers (event ids 2040–2049). Header values and call arguments are never logged.
internal static partial class Log
{
    [LoggerMessage(2050, LogLevel.Information, "Approval request {ApprovalRequestId} for {Server}/{Tool}: {Decision}")]
    public static partial void McpApprovalAnswered(ILogger logger, string approvalRequestId, string server, string tool, string decision);

    [LoggerMessage(2051, LogLevel.Warning, "The Assistants API has no remote MCP tools: OpenAI:Mcp:Servers ({Count} servers) is ignored")]
    public static partial void McpIgnored(ILogger logger, int count);

    [LoggerMessage(2052, LogLevel.Information, "Remote MCP servers: {Servers}")]
    public static partial void McpServersConfigured(ILogger logger, string servers);
}
