using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>A reset that cannot finish its remote deletions leaves them to the sweep, which deletes them: nothing is orphaned.</summary>
public sealed class RemoteDeletionScenarios
{
    // Short, so that the sweep's retries come quickly; the test waits for what they do, never for a set time.
    private static readonly ConversationOptions s_fastSweep = new() { RemoteDeleteRetryDelay = TimeSpan.FromMilliseconds(100) };

    public static TheoryData<string> Backends => BackendTurnScenarios.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task DeletesTheServiceFailsDuringAReset_AreDoneByTheRunningSweepOnceItRecovers(string api)
    {
        // No client retries, so that each deletion the reset tries meets exactly one injected failure.
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxRetries = 0, conversations: s_fastSweep);
        await bot.StartSweeperAsync(); // idle until the reset tells it what is left
        var objects = await CreateRemoteObjectsAsync(bot);
        bot.Server.FailNext("DELETE", "/", 500, times: objects);

        var result = await bot.Core.Service.ResetAsync(new("test", "c1"));

        Assert.Equal((0, objects), (result.DeletedRemoteObjects, result.FailedDeletes));
        await NothingOrphanedAsync(bot);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AResetWhoseCallerGoesAwayDuringADeletion_LeavesTheRestToTheSweep(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, conversations: s_fastSweep);
        await CreateRemoteObjectsAsync(bot);
        bot.Server.StallNext("DELETE", "/");
        using var tabClosed = new CancellationTokenSource();

        var reset = bot.Core.Service.ResetAsync(new("test", "c1"), tabClosed.Token);
        await WaitUntilAsync(() => Task.FromResult(bot.Server.StalledRequests == 1));
        await tabClosed.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reset);
        Assert.Null(await bot.Core.Store.FindConversationAsync(new("test", "c1")));
        Assert.NotEmpty(bot.Server.Ledger.Orphans);
        await bot.StartSweeperAsync(); // as after a restart: it finds what is left in the store
        await NothingOrphanedAsync(bot);

        bot.Server.Enqueue(FakeResponse.Stream().Text("Fresh start."));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello again"));
    }

    // A remote conversation or thread, an uploaded document and the vector store it went into. Returns how many.
    private static async Task<int> CreateRemoteObjectsAsync(BackendHarness bot)
    {
        bot.Channel.AttachmentContents["d"] = "Ada likes tea."u8.ToArray();
        bot.Server.Enqueue(FakeResponse.Stream().Text("Noted."));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "read this", attachments: [new("notes.md", "text/markdown", 14, "d")]));
        var orphans = bot.Server.Ledger.Orphans.Count;
        Assert.Equal(3, orphans);
        return orphans;
    }

    private static async Task NothingOrphanedAsync(BackendHarness bot)
    {
        await WaitUntilAsync(() => Task.FromResult(bot.Server.Ledger.Orphans.Count == 0));
        // The registry learns of each deletion just after the service: wait for that too.
        await WaitUntilAsync(async () => (await bot.Core.Store.GetRemoteObjectsAsync(1)).Count == 0);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition was not met within 60 s");
            await Task.Delay(20);
        }
    }
}
