using Bot.Core.Tools.Approvals;
using Bot.Testing;

namespace Bot.Core.Tests.Tools.Approvals;

/// <summary>The broker's rules: the asker (or an admin) decides, the first decision counts, silence is a denial at expiry.</summary>
public sealed class ApprovalBrokerTests
{
    private static readonly ApprovalQuestion s_question = new("github", "create_issue", "{\"title\":\"Bug\"}");
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    private readonly ManualClock _clock = new();
    private readonly ApprovalBroker _broker;

    public ApprovalBrokerTests() => _broker = new ApprovalBroker(_clock);

    [Theory]
    [InlineData(true, ApprovalDecision.Approved)]
    [InlineData(false, ApprovalDecision.Denied)]
    public async Task TheAskersAnswer_DecidesTheQuestion(bool approve, ApprovalDecision expected)
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);
        var waiting = _broker.WaitAsync(prompt);

        Assert.Equal(ApprovalAnswerResult.Accepted, _broker.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve));

        Assert.Equal(expected, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AnAnswerBeforeTheWaitBegins_StillDecidesIt()
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);

        Assert.Equal(ApprovalAnswerResult.Accepted, _broker.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve: true));

        Assert.Equal(ApprovalDecision.Approved, await _broker.WaitAsync(prompt).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ApprovalAnswerResult.AlreadyAnswered, _broker.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve: false));
    }

    [Fact]
    public async Task SomeoneElsesAnswer_IsRefused_AndChangesNothing_ButAnAdminMayAnswer()
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);
        var waiting = _broker.WaitAsync(prompt);

        Assert.Equal(ApprovalAnswerResult.NotYours, _broker.Answer(prompt.Id, "mallory", mayAnswerForOthers: false, approve: true));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(ApprovalAnswerResult.Accepted, _broker.Answer(prompt.Id, "moderator", mayAnswerForOthers: true, approve: false));

        Assert.Equal(ApprovalDecision.Denied, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ASecondAnswer_IsAlreadyAnswered_AndTheFirstCounts()
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);
        var waiting = _broker.WaitAsync(prompt);
        _broker.Answer(prompt.Id, "ada", false, approve: true);

        Assert.Equal(ApprovalAnswerResult.AlreadyAnswered, _broker.Answer(prompt.Id, "ada", false, approve: false));
        Assert.Equal(ApprovalDecision.Approved, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task NoAnswerUntilTheExpiry_IsTimedOut_ExactlyThen_AndALateAnswerHasExpired()
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);
        Assert.Equal(_clock.Now + s_timeout, prompt.ExpiresAt);
        var waiting = _broker.WaitAsync(prompt);

        _clock.Advance(s_timeout - TimeSpan.FromTicks(1));
        Assert.False(waiting.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(ApprovalDecision.TimedOut, await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ApprovalAnswerResult.Expired, _broker.Answer(prompt.Id, "ada", false, approve: true));
    }

    [Fact]
    public async Task AWaitEndedByTheTurn_ClosesTheQuestion_AndALaterAnswerHasExpired()
    {
        var prompt = _broker.Open(s_question, "ada", s_timeout);
        using var turn = new CancellationTokenSource();
        var waiting = _broker.WaitAsync(prompt, turn.Token);

        await turn.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ApprovalAnswerResult.Expired, _broker.Answer(prompt.Id, "ada", false, approve: true));
    }

    [Fact]
    public void AnUnknownId_HasExpired()
    {
        Assert.Equal(ApprovalAnswerResult.Expired, _broker.Answer("0123456789abcdef01234567", "ada", false, approve: true));
    }

    [Fact]
    public void PromptIds_AreUnguessable_AndFitACustomId()
    {
        var first = _broker.Open(s_question, "ada", s_timeout);
        var second = _broker.Open(s_question, "ada", s_timeout);

        Assert.NotEqual(first.Id, second.Id);
        Assert.InRange(first.Id.Length, 16, 32);
        Assert.Matches("^[0-9a-f]+$", first.Id);
    }
}
