namespace Bot.Testing.OpenAI;

/// <summary>The remote MCP steps: tool listing, calls, and the approval request that ends a response before a call.</summary>
internal sealed partial class ResponseRun
{
    // Set when a call needs approval first: the response ends (completed) after its approval request.
    private bool _awaitingApproval;

    private async Task McpListToolsAsync(McpListToolsStep step)
    {
        ToolOf(step.ServerLabel);
        var item = new McpListToolsItem(FakeIds.McpListTools(), step.ServerLabel, step.ToolNames);
        if (await StartItemAsync(item) is not { } index)
            return;
        await ToolEventAsync(McpEventTypes.ListToolsInProgress, index, item);
        await ToolEventAsync(McpEventTypes.ListToolsCompleted, index, item);
        await ItemDoneAsync(index, item);
    }

    private async Task McpCallAsync(McpCallStep step)
    {
        var tool = ToolOf(step.ServerLabel);
        if (tool.AllowedTools is { } allowed && !allowed.Contains(step.ToolName))
        {
            throw new InvalidOperationException($"The script calls {step.ToolName} on '{step.ServerLabel}', which the request's allowed_tools leave out.");
        }

        if (step.ApprovalRequestId is null && tool.RequiresApproval(step.ToolName))
        {
            await ApprovalRequestAsync(step);
            return;
        }

        var item = new McpCallItem(FakeIds.McpCall(), step);
        if (await StartItemAsync(item) is not { } index)
            return;
        await ToolEventAsync(McpEventTypes.CallInProgress, index, item);
        var w = sse!.Begin(McpEventTypes.CallArgumentsDelta); // an index means the response streams
        w.WriteNumber(JsonNames.OutputIndex, index);
        w.WriteString(JsonNames.ItemId, item.Id);
        w.WriteString(JsonNames.Delta, step.Arguments);
        await sse.EndAsync();
        w = sse.Begin(McpEventTypes.CallArgumentsDone);
        w.WriteNumber(JsonNames.OutputIndex, index);
        w.WriteString(JsonNames.ItemId, item.Id);
        w.WriteString("arguments", step.Arguments);
        await sse.EndAsync();
        await SearchPauseAsync();
        await ToolEventAsync(step.Error is null ? McpEventTypes.CallCompleted : McpEventTypes.CallFailed, index, item);
        await ItemDoneAsync(index, item);
    }

    private async Task ApprovalRequestAsync(McpCallStep step)
    {
        var item = new McpApprovalRequestItem(FakeIds.McpApprovalRequest(), step);
        var rest = script.Steps.SkipWhile(s => !ReferenceEquals(s, step)).Skip(1).ToList();
        state.McpApprovals[item.Id] = new McpPendingApproval(item.Id, step, rest, script.Ending);
        _awaitingApproval = true;
        if (await StartItemAsync(item) is not { } index)
            return;
        await ItemDoneAsync(index, item);
    }

    private FakeMcpTool ToolOf(string serverLabel) =>
        Request.Public.McpTools.FirstOrDefault(t => t.ServerLabel == serverLabel)
        ?? throw new InvalidOperationException($"The script uses the MCP server '{serverLabel}', which the request did not send as an mcp tool.");
}
