using Bot.Core.Backends;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Remote MCP items: <c>mcp_list_tools</c> is expected and not shown; an <c>mcp_call</c> shows "Using label…" while it
/// runs and counts as failed when its item carries an <c>error</c>; an <c>mcp_approval_request</c> ends the response and
/// waits for the turn loop to answer it.
/// </summary>
internal sealed partial class ResponseStreamTranslator
{
    /// <summary>The approval requests of this response, in order; the turn loop answers each in the next request.</summary>
    public List<McpToolCallApprovalRequestItem> ApprovalRequests { get; } = [];

    /// <summary>How many MCP calls (or tool listings) of this response came back with an error.</summary>
    public int McpFailures { get; private set; }

    /// <summary>Whether the model wrote any text in this response.</summary>
    public bool WroteText { get; private set; }

    private void TranslateOther(StreamingResponseUpdate update)
    {
        switch (update)
        {
            case StreamingResponseOutputItemAddedUpdate { Item: McpToolCallItem call }:
                _events.Add(new ToolActivity(ToolKind.Mcp, Running: true, call.ServerLabel));
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: McpToolCallItem call }:
                _events.Add(new ToolActivity(ToolKind.Mcp, Running: false));
                if (HasError(call.Error))
                    McpFailures++;
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: McpToolDefinitionListItem list } when HasError(list.Error):
                McpFailures++;
                break;
            case StreamingResponseOutputItemDoneUpdate { Item: McpToolCallApprovalRequestItem approval }:
                ApprovalRequests.Add(approval);
                break;
        }
    }

    // `error` is an object (MCPToolCallError) or, from older servers, a string; null or absent means none.
    private static bool HasError(BinaryData? error)
    {
        if (error is null)
            return false;
        var text = error.ToMemory().Span.Trim(" \t\r\n"u8);
        return text.Length > 0 && !text.SequenceEqual("null"u8) && !text.SequenceEqual("\"\""u8);
    }
}
