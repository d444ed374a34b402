using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using Microsoft.Extensions.Options;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>Remote objects a reset could not delete are deleted later by the sweep, on a clock the test moves.</summary>
public sealed class RemoteDeletionSweepTests
{
    private const int FailedEvent = 1008;
    private const int AbandonedEvent = 1014;
    private const int SweptEvent = 1015;

    private static readonly ConversationKey s_key = new("test", "c1");

    [Fact]
    public async Task DeletesThatFailDuringAReset_AreRetriedWithDoublingDelays_UntilTheServiceRecovers()
    {
        var backend = new ScriptedBackend { BeforeDelete = (_, _, _) => throw new AssistantFailureException(FailureKind.ServiceError, "500") };
        await using var bot = await StartWithFilesAsync(backend);

        var result = await bot.Service.ResetAsync(s_key);
        var start = DateTimeOffset.UtcNow; // the reset's own clock read came before

        Assert.Equal((0, 3), (result.DeletedRemoteObjects, result.FailedDeletes));
        Assert.Equal(3, backend.Orphans.Count);
        var (sweeper, clock, log) = Sweeper(bot, new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMinutes(1) });

        clock.Now = start.AddSeconds(30); // not due yet
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(3, backend.DeleteAttempts.Count);

        clock.Now = start.AddMinutes(2); // the second attempt fails too; the third waits two minutes more
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(6, backend.DeleteAttempts.Count);
        Assert.Equal(3, log.Count(FailedEvent));
        clock.Now = start.AddMinutes(3);
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(6, backend.DeleteAttempts.Count);

        backend.BeforeDelete = null; // the service recovers
        clock.Now = start.AddMinutes(5);
        Assert.Equal(3, await sweeper.SweepAsync());

        Assert.Empty(backend.Orphans);
        Assert.Empty(await bot.Store.GetRemoteObjectsAsync(1));
        Assert.Equal(3, log.Count(SweptEvent));
        clock.Now = start.AddDays(30);
        Assert.Equal(0, await sweeper.SweepAsync());
        Assert.Equal(9, backend.DeleteAttempts.Count);
    }

    [Fact]
    public async Task AfterTheLastAttempt_TheSweepGivesUp_LogsEachObject_AndLeavesItInTheRegistry()
    {
        var backend = new ScriptedBackend { BeforeDelete = (_, _, _) => throw new HttpRequestException("unreachable") };
        var options = new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMinutes(1), RemoteDeleteAttempts = 2 };
        await using var bot = await StartWithFilesAsync(backend, options);
        await bot.Service.ResetAsync(s_key);
        var start = DateTimeOffset.UtcNow;
        var (sweeper, clock, log) = Sweeper(bot, options);

        clock.Now = start.AddMinutes(1);
        await sweeper.SweepAsync();
        backend.BeforeDelete = null;
        clock.Now = start.AddDays(30);
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
        var start = DateTimeOffset.UtcNow;
        Assert.Null(await bot.Store.FindConversationAsync(s_key));
        Assert.Equal(3, backend.Orphans.Count);
        backend.BeforeDelete = null;
        var (sweeper, clock, _) = Sweeper(bot, new ConversationOptions());
        clock.Now = start.AddMinutes(1);
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
        var (sweeper, clock, _) = Sweeper(bot, new ConversationOptions());

        clock.Now = DateTimeOffset.UtcNow.AddDays(30);
        Assert.Equal(0, await sweeper.SweepAsync());

        Assert.Empty(backend.DeleteAttempts);
        Assert.Equal(3, (await bot.Store.GetRemoteObjectsAsync(1)).Count);
    }

    [Fact]
    public async Task ARunningSweeper_IsWokenByAResetThatLeftDeletions_AndRetriesUntilTheyAreDone()
    {
        var failing = true;
        var backend = new ScriptedBackend
        {
            BeforeDelete = (_, _, _) => Volatile.Read(ref failing) ? throw new AssistantFailureException(FailureKind.ServiceError, "500") : Task.CompletedTask,
        };
        var options = new ConversationOptions { RemoteDeleteRetryDelay = TimeSpan.FromMilliseconds(50) };
        await using var bot = await StartWithFilesAsync(backend, options);
        var log = new ListLogger<RemoteObjectSweeper>();
        using var sweeper = new RemoteObjectSweeper(bot.Store, new BackendCatalog(backend), bot.Service, Options.Create(options), TimeProvider.System, log);
        await sweeper.StartAsync(CancellationToken.None);

        Assert.Equal(3, (await bot.Service.ResetAsync(s_key)).FailedDeletes);
        Volatile.Write(ref failing, false);

        await WaitUntil(() => backend.Orphans.Count == 0, 60_000);
        await WaitUntil(() => log.Count(SweptEvent) == 3, 60_000);
        await sweeper.StopAsync(CancellationToken.None);
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
    private static async Task<CoreHarness> StartWithFilesAsync(ScriptedBackend backend, ConversationOptions? options = null)
    {
        var bot = await CoreHarness.StartAsync(backend, options: options);
        bot.Channel.AttachmentContents["doc"] = "notes"u8.ToArray();
        await bot.AskAsync(bot.Channel.Message("c1", "read this", "m1", attachments: [new("notes.md", "text/markdown", 5, "doc")]));
        Assert.Equal(3, backend.Created.Count);
        return bot;
    }

    private static (RemoteObjectSweeper Sweeper, ManualClock Clock, ListLogger<RemoteObjectSweeper> Log) Sweeper(CoreHarness bot,
        ConversationOptions options)
    {
        var clock = new ManualClock();
        var log = new ListLogger<RemoteObjectSweeper>();
        return (new RemoteObjectSweeper(bot.Store, new BackendCatalog(bot.Backend), bot.Service, Options.Create(options), clock, log), clock, log);
    }
}
