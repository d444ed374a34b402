using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using Microsoft.Extensions.Options;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>Remote objects a reset could not delete are deleted later by the sweep, on a clock the test moves (the core's too).</summary>
public sealed class RemoteDeletionSweepTests
{
    private readonly ManualClock _clock = new();

    private const int FailedEvent = 1008;
    private const int AbandonedEvent = 1014;
    private const int SweptEvent = 1015;

    private static readonly ConversationKey s_key = new("test", "c1");

    [Fact]
    public async Task DeletesThatFailDuringAReset_AreRetriedWithDoublingDelays_UntilTheServiceRecovers()
    {
        var backend = new ScriptedBackend { BeforeDelete = (_, _, _) => throw new AssistantFailureException(FailureKind.ServiceError, "500") };
        await using var bot = await StartWithFilesAsync(backend);

        var start = _clock.Now;
        var result = await bot.Service.ResetAsync(s_key);

        Assert.Equal((0, 3), (result.DeletedRemoteObjects, result.FailedDeletes));
        Assert.Equal(3, backend.Orphans.Count);
        var (sweeper, log) = Sweeper(bot, new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMinutes(1) });

        _clock.Now = start.AddMinutes(1) - TimeSpan.FromTicks(1); // not due yet
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(3, backend.DeleteAttempts.Count);

        _clock.Now = start.AddMinutes(1); // the second attempt fails too; the third waits two minutes more
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(6, backend.DeleteAttempts.Count);
        Assert.Equal(3, log.Count(FailedEvent));
        _clock.Now = start.AddMinutes(3) - TimeSpan.FromTicks(1);
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(6, backend.DeleteAttempts.Count);

        backend.BeforeDelete = null; // the service recovers
        _clock.Now = start.AddMinutes(3);
        Assert.Equal(3, await sweeper.SweepAsync());

        Assert.Empty(backend.Orphans);
        Assert.Empty(await bot.Store.GetRemoteObjectsAsync(1));
        Assert.Equal(3, log.Count(SweptEvent));
        _clock.Now = start.AddDays(30);
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(9, backend.DeleteAttempts.Count);
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheSweepGivesUp_LogsEachObject_AndLeavesItInTheRegistry()
    {
        var backend = new ScriptedBackend { BeforeDelete = (_, _, _) => throw new HttpRequestException("unreachable") };
        var options = new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMinutes(1), RemoteDeleteAttempts = 2 };
        await using var bot = await StartWithFilesAsync(backend, options);
        var start = _clock.Now;
        await bot.Service.ResetAsync(s_key);
        var (sweeper, log) = Sweeper(bot, options);

        _clock.Now = start.AddMinutes(1);
        await sweeper.SweepAsync();
        backend.BeforeDelete = null;
        _clock.Now = start.AddDays(30);
        await sweeper.SweepAsync();

        Assert.Equal(6, backend.DeleteAttempts.Count);
        Assert.Equal(3, log.Entries.Count(e => e.EventId.Id == AbandonedEvent && e.Level == Microsoft.Extensions.Logging.LogLevel.Error));
        Assert.Equal(3, (await bot.Store.GetRemoteObjectsAsync(1)).Count);
    }

    [Fact]
    public async Task AResetWhoseCallerGoesAwayMidway_IsStillComplete_AndTheSweepDeletesWhatItLeft()
    {
        var deleting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = new ScriptedBackend
        {
            BeforeDelete = async (_, _, cancellationToken) =>
            {
                deleting.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            },
        };
        await using var bot = await StartWithFilesAsync(backend);
        using var gone = new CancellationTokenSource();

        var reset = bot.Service.ResetAsync(s_key, gone.Token);
        await deleting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reset);
        Assert.Null(await bot.Store.FindConversationAsync(s_key));
        Assert.Equal(3, backend.Orphans.Count);
        backend.BeforeDelete = null;
        var (sweeper, _) = Sweeper(bot, new ConversationOptions());
        _clock.Advance(new ConversationOptions().RemoteDeleteRetryDelay);
        Assert.Equal(3, await sweeper.SweepAsync());
        Assert.Empty(backend.Orphans);
    }

    [Fact]
    public async Task ObjectsOfAConversationLeftBehindByABackendSwitch_AreNotSwept()
    {
        var backend = new ScriptedBackend();
        await using var bot = await StartWithFilesAsync(backend);
        backend.Kind = "Other";
        await bot.AskAsync(bot.Channel.Message("c1", "after the switch", "m2"));
        var (sweeper, _) = Sweeper(bot, new ConversationOptions());

        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await sweeper.SweepAsync());

        Assert.Empty(backend.DeleteAttempts);
        Assert.Equal(3, (await bot.Store.GetRemoteObjectsAsync(1)).Count);
    }

    [Fact]
    public async Task ARunningSweeper_IsWokenByAResetThatLeftDeletions_AndRetriesExactlyWhenTheyAreDue()
    {
        var failing = true;
        var backend = new ScriptedBackend
        {
            BeforeDelete = (_, _, _) => Volatile.Read(ref failing) ? throw new AssistantFailureException(FailureKind.ServiceError, "500") : Task.CompletedTask,
        };
        var options = new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMinutes(1) };
        await using var bot = await StartWithFilesAsync(backend, options);
        var log = new ListLogger<RemoteObjectSweeper>();
        using var sweeper = new RemoteObjectSweeper(bot.Store, new BackendCatalog(backend), bot.Service, Options.Create(options), _clock, log);
        await sweeper.StartAsync(CancellationToken.None);

        Assert.Equal(3, (await bot.Service.ResetAsync(s_key)).FailedDeletes);
        Volatile.Write(ref failing, false);

        // Woken by the reset, the sweeper sleeps until the first retry is due, a minute after the failed attempt.
        await _clock.Changes.UntilAsync(() => _clock.UntilNextTimer == options.RemoteDeleteRetryDelay);
        Assert.Equal(3, backend.DeleteAttempts.Count);
        _clock.Advance(options.RemoteDeleteRetryDelay);
        await log.Changes.UntilAsync(() => log.Count(SweptEvent) == 3);
        await sweeper.StopAsync(CancellationToken.None);

        Assert.Empty(backend.Orphans);
        Assert.Equal(6, backend.DeleteAttempts.Count);
        Assert.Empty(await bot.Store.GetRemoteObjectsAsync(1));
    }

    [Fact]
    public void TheRetryDelayDoubles_AndTheLastAttemptHasNoNext()
    {
        var schedule = new RetrySchedule(TimeSpan.FromMinutes(1), MaxAttempts: 4);
        var at = DateTimeOffset.UnixEpoch;

        Assert.Equal(
            [at.AddMinutes(1), at.AddMinutes(2), at.AddMinutes(4), null],
            Enumerable.Range(1, 4).Select(attempt => schedule.NextAfter(attempt, at)));
        Assert.Equal(at.AddDays(7), new RetrySchedule(TimeSpan.FromDays(1), 30).NextAfter(29, at));
    }

    // A conversation with a remote conversation, a document and its vector store.
    private async Task<CoreHarness> StartWithFilesAsync(ScriptedBackend backend, ConversationOptions? options = null)
    {
        var bot = await CoreHarness.StartAsync(backend, Unpaced(), options, time: _clock);
        bot.Channel.AttachmentContents["doc"] = "notes"u8.ToArray();
        await bot.AskAsync(bot.Channel.Message("c1", "read this", "m1", attachments: [new("notes.md", "text/markdown", 5, "doc")]));
        Assert.Equal(3, backend.Created.Count);
        return bot;
    }

    private (RemoteObjectSweeper Sweeper, ListLogger<RemoteObjectSweeper> Log) Sweeper(CoreHarness bot, ConversationOptions options)
    {
        var log = new ListLogger<RemoteObjectSweeper>();
        return (new RemoteObjectSweeper(bot.Store, new BackendCatalog(bot.Backend), bot.Service, Options.Create(options), _clock, log), log);
    }
}
