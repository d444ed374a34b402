using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tools.Approvals;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>
/// A turn that needs a person's approval (issue 12, point 4): the question goes to the asker through the reply's channel,
/// the reply says it waits, the answer continues the same reply, and every way the question can end (approved, denied,
/// timed out, answered by someone else, twice or late, stopped, not askable) does what the user would expect, on a clock
/// the test moves.
/// </summary>
public sealed class ApprovalTurnTests
{
    private static readonly ApprovalQuestion s_question = new("github", "create_issue", "{\"title\":\"Bug\"}");
    private static readonly TimeSpan s_approvalTimeout = TimeSpan.FromMinutes(5);

    private readonly ManualClock _clock = new();
    private readonly RecordingChannel _channel = Unpaced();
    private readonly ConcurrentQueue<ApprovalDecision> _decisions = new();
    private readonly ScriptedBackend _backend;

    public ApprovalTurnTests() =>
        _backend = new ScriptedBackend { ApprovalTimeout = s_approvalTimeout, Script = (request, ct) => AsksFirst(request, _decisions, ct) };

    [Fact]
    public async Task Approved_TheAnswerContinuesInTheSameReply_AndTheQuestionSettlesAsApproved()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1", author: "Ada"));

        var prompt = await _channel.QuestionAsync();
        Assert.Equal(s_question, prompt.Question);
        Assert.Equal("ada", prompt.AskerId);
        Assert.Equal(_clock.Now + s_approvalTimeout, prompt.ExpiresAt);
        await _channel.Changes.UntilAsync(() => _channel.Replies[0].Writes.Any(w => w.Text.Contains("_Waiting for approval…_", StringComparison.Ordinal)));
        Assert.Equal(ApprovalAnswerResult.Accepted, bot.Approvals.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve: true));

        Assert.Equal(TurnStatus.Completed, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([ApprovalDecision.Approved], _decisions);
        Assert.Equal("Let me check. Created issue #12.", Assert.Single(_channel.Replies).Text);
        Assert.Equal((prompt, ApprovalDecision.Approved), Assert.Single(_channel.Settled));
    }

    [Fact]
    public async Task AnAnswerThatComesTheMomentTheQuestionShows_IsNotLost()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        _channel.OnQuestion = prompt => bot.Approvals.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve: true);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(_channel.Message("c1", "file a bug", "m1")));

        Assert.Equal([ApprovalDecision.Approved], _decisions);
        Assert.Equal("Let me check. Created issue #12.", _channel.Replies[0].Text);
    }

    [Fact]
    public async Task Denied_TheBackendHearsDenied_AndTheQuestionSettlesAsDenied()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1"));

        var prompt = await _channel.QuestionAsync();
        Assert.Equal(ApprovalAnswerResult.Accepted, bot.Approvals.Answer(prompt.Id, "ada", false, approve: false));

        Assert.Equal(TurnStatus.Completed, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([ApprovalDecision.Denied], _decisions);
        Assert.Equal("Let me check. I was not allowed to.", _channel.Replies[0].Text);
        Assert.Equal("Denied.", ApprovalTexts.Outcome(Assert.Single(_channel.Settled).Decision));
    }

    [Fact]
    public async Task NoAnswerInTime_IsDenied_TheQuestionSaysSo_AndTheWaitDidNotEatTheTurnTimeout()
    {
        // The approval may take five minutes although the whole turn may only take one: the turn's clock stands still.
        var options = new ConversationOptions { TurnTimeout = TimeSpan.FromMinutes(1) };
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, options, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1"));
        var prompt = await _channel.QuestionAsync();
        await _clock.Changes.UntilAsync(() => TimerDueIn(s_approvalTimeout)); // the broker waits; the turn's deadline does not run

        _clock.Advance(s_approvalTimeout);

        Assert.Equal(TurnStatus.Completed, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([ApprovalDecision.TimedOut], _decisions);
        Assert.Equal("No answer in time: denied.", ApprovalTexts.Outcome(Assert.Single(_channel.Settled).Decision));
        Assert.Equal("Let me check. I was not allowed to.", _channel.Replies[0].Text);
        Assert.Equal(ApprovalAnswerResult.Expired, bot.Approvals.Answer(prompt.Id, "ada", false, approve: true));
        Assert.Equal("This question has expired.", ApprovalTexts.AnswerReply(ApprovalAnswerResult.Expired));
    }

    [Fact]
    public async Task AfterTheWait_TheTurnStillHasTheTimeItHadLeft()
    {
        var options = new ConversationOptions { TurnTimeout = TimeSpan.FromMinutes(1) };
        _backend.Script = (request, ct) => AsksThenHangs(request, ct);
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, options, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1"));
        var prompt = await _channel.QuestionAsync();
        _clock.Advance(TimeSpan.FromMinutes(3)); // a person takes their time
        bot.Approvals.Answer(prompt.Id, "ada", false, approve: true);
        await _channel.Changes.UntilAsync(() => _channel.Replies[0].Text.Contains("Working", StringComparison.Ordinal));
        await _clock.Changes.UntilAsync(() => TimerDueIn(options.TurnTimeout));

        _clock.Advance(options.TurnTimeout);

        Assert.Equal(TurnStatus.Failed, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.EndsWith(UserMessages.TimedOut, _channel.Replies[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClickBySomeoneElse_IsNotYours_AndChangesNothing_ASecondClickIsAlreadyAnswered()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1", author: "Ada"));
        var prompt = await _channel.QuestionAsync();

        var stranger = bot.Approvals.Answer(prompt.Id, "mallory", mayAnswerForOthers: false, approve: true);
        Assert.Equal("Only the person who asked (or an admin) can answer this.", ApprovalTexts.AnswerReply(stranger));
        Assert.False(turn.Answered.IsCompleted);
        Assert.Empty(_channel.Settled);
        Assert.Equal(ApprovalAnswerResult.Accepted, bot.Approvals.Answer(prompt.Id, "ada", false, approve: false));
        var twice = bot.Approvals.Answer(prompt.Id, "ada", false, approve: true);

        Assert.Equal(TurnStatus.Completed, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("This was already answered.", ApprovalTexts.AnswerReply(twice));
        Assert.Equal([ApprovalDecision.Denied], _decisions);
    }

    [Fact]
    public async Task StopWhileWaiting_EndsTheWaitAndTheTurn_AndTheQuestionSettlesAsNotAsked()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        var turn = await bot.Service.AcceptAsync(_channel.Message("c1", "file a bug", "m1"));
        var prompt = await _channel.QuestionAsync();

        Assert.True(bot.Service.Stop(new ConversationKey("test", "c1")));

        Assert.Equal(TurnStatus.Cancelled, await turn.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.EndsWith(UserMessages.Stopped, _channel.Replies[0].Text, StringComparison.Ordinal);
        await _channel.Changes.UntilAsync(() => !_channel.Settled.IsEmpty);
        Assert.Equal((prompt, ApprovalDecision.Unavailable), Assert.Single(_channel.Settled));
        Assert.Equal(ApprovalAnswerResult.Expired, bot.Approvals.Answer(prompt.Id, "ada", false, approve: true));
        Assert.Empty(_decisions);
    }

    [Fact]
    public async Task AChannelThatCannotAsk_DeniesAtOnce_WithoutAQuestion()
    {
        _channel.CanAskApproval = false;
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(_channel.Message("c1", "file a bug", "m1")));

        Assert.Equal([ApprovalDecision.Unavailable], _decisions);
        Assert.Empty(_channel.Questions);
        Assert.Equal("Let me check. I was not allowed to.", _channel.Replies[0].Text);
    }

    [Fact]
    public async Task AQuestionThatCannotBeShown_IsDeniedAsNotAsked_AndALateClickHasExpired()
    {
        _channel.FailApprovalQuestions = true;
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(_channel.Message("c1", "file a bug", "m1")));

        Assert.Equal([ApprovalDecision.Unavailable], _decisions);
        var (prompt, decision) = Assert.Single(_channel.Settled);
        Assert.Equal(ApprovalDecision.Unavailable, decision);
        Assert.Equal(ApprovalAnswerResult.Expired, bot.Approvals.Answer(prompt.Id, "ada", false, approve: true));
    }

    // A timer falls exactly `span` from now (other timers of the core may fall earlier).
    private bool TimerDueIn(TimeSpan span) => _clock.TimersDueWithin(span) > _clock.TimersDueWithin(span - TimeSpan.FromTicks(1));

    private static async IAsyncEnumerable<AssistantEvent> AsksFirst(TurnRequest request, ConcurrentQueue<ApprovalDecision> decisions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new TextDelta("p", "Let me check. ");
        var decision = await request.Approvals.DecideAsync(s_question, cancellationToken);
        decisions.Enqueue(decision);
        yield return new TextDelta("p", decision == ApprovalDecision.Approved ? "Created issue #12." : "I was not allowed to.");
        yield return new TurnFinished();
    }

    private static async IAsyncEnumerable<AssistantEvent> AsksThenHangs(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await request.Approvals.DecideAsync(s_question, cancellationToken);
        yield return new TextDelta("p", "Working");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
