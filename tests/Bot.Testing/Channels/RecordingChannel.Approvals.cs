using System.Collections.Concurrent;
using Bot.Core.Tools.Approvals;

namespace Bot.Testing.Channels;

/// <summary>Approval questions: whether the channel can ask, and every question asked and settled on it.</summary>
public sealed partial class RecordingChannel
{
    /// <summary>Whether replies on this channel can ask for approval (default: yes).</summary>
    public bool CanAskApproval { get; set; } = true;

    /// <summary>Makes showing a question throw, like a platform refusing the message.</summary>
    public bool FailApprovalQuestions { get; set; }

    /// <summary>Called as each question is shown, before showing it returns (a click as fast as a platform can deliver it).</summary>
    public Action<ApprovalPrompt>? OnQuestion { get; set; }

    /// <summary>Every question shown, in order.</summary>
    public ConcurrentQueue<ApprovalPrompt> Questions { get; } = new();

    /// <summary>Every question settled, with its outcome, in order.</summary>
    public ConcurrentQueue<(ApprovalPrompt Prompt, ApprovalDecision Decision)> Settled { get; } = new();

    /// <summary>Waits until the <paramref name="number"/>th question (from 1) has been shown and returns it.</summary>
    public async Task<ApprovalPrompt> QuestionAsync(int number = 1)
    {
        await Changes.UntilAsync(() => Questions.Count >= number);
        return Questions.ElementAt(number - 1);
    }
}
