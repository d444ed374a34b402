using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>The core's own deadlines, on a clock the test moves: each one falls exactly when configured, not a tick before.</summary>
public sealed class TurnTimingTests
{
    private static readonly TimeSpan s_tick = TimeSpan.FromTicks(1);

    private readonly ManualClock _clock = new();
    private readonly RecordingChannel _channel = Unpaced();
    private readonly ScriptedBackend _backend = new() { Script = (_, ct) => StartsThenHangs(ct) };

    [Fact]
    public async Task ATurnThatRunsPastTheTurnTimeout_IsStoppedExactlyThen_AndTheUserIsTold()
    {
        var options = new ConversationOptions { TurnTimeout = TimeSpan.FromMinutes(10) };
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, options, time: _clock);
        var start = _clock.Now;
        var running = await bot.Service.AcceptAsync(_channel.Message("c1", "long", "m1"));
        await FirstWordsShownAsync();

        _clock.Advance(options.TurnTimeout - s_tick);
        Assert.Equal(s_tick, _clock.UntilNextTimer); // the turn's deadline, still to come
        Assert.False(running.Answered.IsCompleted);
        _clock.Advance(s_tick);

        Assert.Equal(TurnStatus.Failed, await running.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        var reply = Assert.Single(_channel.Replies);
        Assert.Equal(FirstWords + "\n\n" + UserMessages.TimedOut, reply.Text);
        Assert.Equal(start + options.TurnTimeout, reply.Writes[^1].At);
        Assert.Equal(TurnStatus.Failed, (await bot.Store.GetTurnAsync(1))?.Status);
    }

    [Fact]
    public async Task HostShutdown_WaitsFiveSecondsForTheLastWrites_ThenStopsWaiting()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, _channel, time: _clock);
        await bot.Service.AcceptAsync(_channel.Message("c1", "long", "m1"));
        await FirstWordsShownAsync();
        _channel.WriteLatency = TimeSpan.FromHours(1); // the platform no longer answers in time

        var stopping = bot.Service.StopAsync(CancellationToken.None);
        var reply = Assert.Single(_channel.Replies);
        await _channel.Changes.UntilAsync(() => reply.WriteInFlight); // the interrupted turn's final edit
        Assert.Equal(TimeSpan.FromSeconds(5), _clock.UntilNextTimer);
        _clock.Advance(TimeSpan.FromSeconds(5));

        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([FirstWords], reply.Messages);
        Assert.Equal(0, bot.Service.RunningTurns);
        // The final edit that never landed does not leave the turn Running: it is recorded as interrupted.
        Assert.Equal(TurnStatus.Interrupted, (await bot.Store.GetTurnAsync(1))?.Status);
    }

    private Task FirstWordsShownAsync() => _channel.Changes.UntilAsync(() => _channel.Replies is [{ Messages.Count: > 0 }]);
}
