using Bot.Core.Tools.Approvals;

namespace Bot.Host.Terminal;

/// <summary>
/// While a turn runs, the input belongs to its approval questions: each one printed is answered by the next line, y or n;
/// anything else asks again once, then counts as no. A line typed after the question expired gets the expired sentence.
/// </summary>
internal sealed partial class TerminalChatService
{
    private static string UserId => Environment.UserName;

    private async Task AnswerQuestionsUntilAsync(Task turn, CancellationToken cancellationToken)
    {
        using var turnOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (!turn.IsCompleted)
        {
            var next = channel.Approvals.NextAsync(turnOver.Token).AsTask();
            if (await Task.WhenAny(turn, next) == turn)
            {
                await turnOver.CancelAsync();
                break;
            }

            await AnswerAsync(await next, cancellationToken);
        }

        await turn.WaitAsync(cancellationToken);
    }

    private async Task AnswerAsync(ApprovalPrompt prompt, CancellationToken cancellationToken)
    {
        var line = await console.Input.ReadLineAsync(cancellationToken);
        var approve = TerminalApprovals.Parse(line);
        if (approve is null && line is not null)
        {
            Write("   Please answer y (yes) or n (no): ");
            approve = TerminalApprovals.Parse(await console.Input.ReadLineAsync(cancellationToken));
        }

        if (approvals.Answer(prompt.Id, UserId, mayAnswerForOthers: false, approve ?? false) is var result
            && ApprovalTexts.AnswerReply(result) is { } reply)
            Say("   " + reply);
    }
}
