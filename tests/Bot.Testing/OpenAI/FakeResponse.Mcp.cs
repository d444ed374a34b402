namespace Bot.Testing.OpenAI;

/// <summary>Remote MCP steps: a tool listing, a call (with an output or an error), and the approval a call may need first.</summary>
public sealed partial class FakeResponse
{
    /// <summary>An `mcp_list_tools` item: the service listed the tools of the server labelled <paramref name="serverLabel"/>.</summary>
    public FakeResponse McpListTools(string serverLabel, params string[] toolNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverLabel);
        return Add(new McpListToolsStep(serverLabel, toolNames));
    }

    /// <summary>
    /// An `mcp_call` of <paramref name="toolName"/> on the server labelled <paramref name="serverLabel"/> that returns
    /// <paramref name="output"/>. When the request's `mcp` tool for that server requires approval (`always`, the default),
    /// the response instead ends with an `mcp_approval_request`; a later request answering it with an
    /// `mcp_approval_response` continues with the call and the rest of this script (approved) or with a sentence that the
    /// call was not allowed (denied).
    /// </summary>
    public FakeResponse McpCall(string serverLabel, string toolName, string argumentsJson, string output)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverLabel);
        ArgumentException.ThrowIfNullOrEmpty(toolName);
        return Add(new McpCallStep(serverLabel, toolName, argumentsJson, output, null));
    }

    /// <summary>
    /// An `mcp_call` whose item carries an `error` (an `http_error` with <paramref name="status"/>), as the service reports a
    /// server that is down or answers with an error. Approval works as for <see cref="McpCall"/>.
    /// </summary>
    public FakeResponse McpCallFailed(string serverLabel, string toolName, string argumentsJson, int status = 502, string message = "Bad Gateway")
    {
        ArgumentException.ThrowIfNullOrEmpty(serverLabel);
        ArgumentException.ThrowIfNullOrEmpty(toolName);
        return Add(new McpCallStep(serverLabel, toolName, argumentsJson, null, new McpCallError(status, message)));
    }

    /// <summary>What the model says after a denied call (the fake's stand-in for the model's own words).</summary>
    public static string DeniedText(string serverLabel, string toolName) =>
        $"I could not run {toolName} on {serverLabel}: the call was not approved.";

    /// <summary>The script that follows answered approval requests: the approved calls run, then the rest of their scripts.</summary>
    internal static FakeResponse Continuation(IEnumerable<(McpPendingApproval Pending, bool Approved)> answers)
    {
        var script = Stream();
        FakeEnding? ending = null;
        foreach (var (pending, approved) in answers)
        {
            if (!approved)
            {
                script.Add(new TextStep(DeniedText(pending.Call.ServerLabel, pending.Call.ToolName), []));
                continue;
            }

            script.Add(pending.Call with { ApprovalRequestId = pending.ApprovalRequestId });
            foreach (var step in pending.Rest)
                script.Add(step);
            ending ??= pending.Ending;
        }

        script.Ending = ending;
        return script;
    }
}

internal sealed record McpListToolsStep(string ServerLabel, IReadOnlyList<string> ToolNames) : FakeStep;

/// <summary>An MCP call; <see cref="ApprovalRequestId"/> is set once it was approved (it then runs without asking again).</summary>
internal sealed record McpCallStep(string ServerLabel, string ToolName, string Arguments, string? Output, McpCallError? Error,
    string? ApprovalRequestId = null) : FakeStep;

internal sealed record McpCallError(int Status, string Message);

/// <summary>An approval request the fake is waiting on: the call, and what the script does after it.</summary>
internal sealed record McpPendingApproval(string ApprovalRequestId, McpCallStep Call, IReadOnlyList<FakeStep> Rest, FakeEnding? Ending);
