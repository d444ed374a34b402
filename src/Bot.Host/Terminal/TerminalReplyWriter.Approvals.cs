using Bot.Core.Tools.Approvals;

namespace Bot.Host.Terminal;

/// <summary>
/// Approval questions on the terminal: the heading and the arguments (cleaned of control characters: both come from the
/// model and a remote server), then "Approve? [y/n]"; the chat reads the answer from the next input line.
/// </summary>
internal sealed partial class TerminalReplyWriter
{
    public bool CanAskApproval => true;

    public Task AskApprovalAsync(ApprovalPrompt prompt, CancellationToken cancellationToken = default)
    {
        var question = prompt.Question;
        lock (channel.OutputLock)
        {
            output.Write(Environment.NewLine + "❓ " + TerminalText.Clean(ApprovalTexts.Heading(question)) + Environment.NewLine
                + "   " + TerminalText.Clean(question.Arguments).ReplaceLineEndings(Environment.NewLine + "   ") + Environment.NewLine
                + $"   {ApprovalTexts.Approve}? [y/n] ");
            output.Flush();
        }

        channel.Approvals.Add(prompt);
        return Task.CompletedTask;
    }

    public Task SettleApprovalAsync(ApprovalPrompt prompt, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        lock (channel.OutputLock)
        {
            output.Write("   " + ApprovalTexts.Outcome(decision) + Environment.NewLine);
            output.Flush();
        }

        return Task.CompletedTask;
    }
}
