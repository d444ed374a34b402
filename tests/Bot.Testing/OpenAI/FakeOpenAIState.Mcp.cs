using System.Collections.Concurrent;

namespace Bot.Testing.OpenAI;

/// <summary>Approval requests the fake waits on, by id, and the script that continues once they are answered.</summary>
internal sealed partial class FakeOpenAIState
{
    public ConcurrentDictionary<string, McpPendingApproval> McpApprovals { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The continuation of the calls a request's `mcp_approval_response` items answer (they take precedence over the
    /// queue), or null when it answers none the fake waits on.
    /// </summary>
    private FakeResponse? McpContinuation(FakeResponseRequest request)
    {
        var answers = new List<(McpPendingApproval, bool)>();
        foreach (var response in request.McpApprovalResponses)
        {
            if (response.ApprovalRequestId is { } id && McpApprovals.TryRemove(id, out var pending))
            {
                answers.Add((pending, response.Approve == true));
            }
        }

        return answers.Count == 0 ? null : FakeResponse.Continuation(answers);
    }
}
