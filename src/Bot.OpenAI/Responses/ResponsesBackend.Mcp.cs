using Bot.Core.Tools.Approvals;
using OpenAI.Responses;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Remote MCP servers (<c>OpenAI:Mcp</c>): sent as <c>mcp</c> tools with every request. An <c>mcp_approval_request</c>
/// ends its response; the turn asks the person who asked (<see cref="IToolApprover"/>) and continues in the same
/// conversation with an <c>mcp_approval_response</c> per request, streamed into the same reply. Denied, timed out or not
/// askable: <c>approve: false</c>, and the model says it could not run the tool.
/// </summary>
public sealed partial class ResponsesBackend
{
    public TimeSpan ApprovalTimeout => Options.Mcp.ApprovalTimeout;

    private async Task AnswerApprovalsAsync(IReadOnlyList<McpToolCallApprovalRequestItem> requests, IToolApprover approver, IList<ResponseItem> input,
        CancellationToken cancellationToken)
    {
        foreach (var approvalRequest in requests)
        {
            var question = new ApprovalQuestion(approvalRequest.ServerLabel ?? "", approvalRequest.ToolName ?? "",
                approvalRequest.ToolArguments?.ToString() ?? "{}");
            var decision = await approver.DecideAsync(question, cancellationToken).ConfigureAwait(false);
            Log.McpApprovalAnswered(_logger, approvalRequest.Id, question.ServerLabel, question.ToolName, decision.ToString());
            input.Add(ResponseItem.CreateMcpApprovalResponseItem(approvalRequest.Id, decision == ApprovalDecision.Approved));
        }
    }

    /// <summary>What the turn's responses did with MCP servers, across its rounds.</summary>
    private sealed class McpTurn
    {
        private bool _failed;
        private bool _wroteText;

        /// <summary>A server call failed and the model wrote nothing about it: the reply needs one sentence of its own.</summary>
        public bool FailedSilently => _failed && !_wroteText;

        public void Observe(ResponseStreamTranslator translator)
        {
            _failed |= translator.McpFailures > 0;
            _wroteText |= translator.WroteText;
        }
    }
}
