using Bot.Teams.Connector;
using Bot.Testing;

namespace Bot.Teams.Tests.Flow;

public sealed class ConversationPacerTests
{
    [Fact]
    public async Task WritesStillInFlight_CountAsHappeningNow_SoASlowAnswerCannotOpenANewWindow()
    {
        // Teams sees a write somewhere between its start and its answer: seven writes started a second ago and not yet
        // answered may reach Teams at this very moment, so an eighth must wait (7 per second per thread).
        var clock = new ManualClock();
        var pacer = new ConversationPacer(clock);
        var inFlight = new List<IDisposable>();
        for (var i = 0; i < 7; i++)
            inFlight.Add(await pacer.WaitAsync("a:slow"));
        clock.Advance(TimeSpan.FromSeconds(1.5));

        var eighth = pacer.WaitAsync("a:slow");

        Assert.False(eighth.IsCompleted, "the eighth write went out while seven were still in flight");
        inFlight.ForEach(w => w.Dispose()); // all seven answered now
        clock.Advance(TimeSpan.FromSeconds(1.1));
        (await eighth.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }

    [Fact]
    public async Task AnsweredWrites_CountAtTheirAnswer_AndAnotherThreadIsNotHeldUp()
    {
        var clock = new ManualClock();
        var pacer = new ConversationPacer(clock);
        for (var i = 0; i < 7; i++)
            (await pacer.WaitAsync("19:busy@thread.tacv2;messageid=" + i)).Dispose();

        var sameThread = pacer.WaitAsync("19:busy@thread.tacv2;messageid=9");
        var otherThread = pacer.WaitAsync("a:quiet");

        Assert.True(otherThread.IsCompletedSuccessfully);
        Assert.False(sameThread.IsCompleted, "a channel's reply chains share its limit");
        clock.Advance(TimeSpan.FromSeconds(1.1));
        (await sameThread.WaitAsync(TimeSpan.FromSeconds(30))).Dispose();
    }
}
