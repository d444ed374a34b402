using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

/// <summary>A turn at a place: the place's settings reach the backend every turn, its budgets refuse, its usage is counted.</summary>
public sealed class PlaceTurnTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Noon.UtcDateTime);
    private static readonly Place Server = new("test:g1", PlaceKind.Server);
    private static readonly Place Channel1 = new("test:c1", PlaceKind.Channel);
    private static readonly PlacePath Path1 = PlacePath.Of(Server, Channel1);
    private static readonly PlacePath Path2 = PlacePath.Of(Server, new Place("test:c2", PlaceKind.Channel));

    private readonly ManualClock _clock = new(Noon);
    private readonly ScriptedBackend _backend = new() { Script = (_, _) => Answer() };

    [Fact]
    public async Task AModelAndInstructionsSetAtAPlace_ReachTheBackendOnTheNextTurn_WithoutAReset()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions());
        await bot.AskAsync(Ask(bot, "c1", "one", Path1));

        Assert.True((await bot.Places.SetAsync(Server, SettingNames.Model, "scripted-mini", "test:admin")).Succeeded);
        Assert.True((await bot.Places.SetAsync(Channel1, SettingNames.Instructions, "Answer in French.", "test:admin")).Succeeded);
        await bot.AskAsync(Ask(bot, "c1", "two", Path1));
        await bot.AskAsync(Ask(bot, "c2", "three", Path2));

        Assert.Equal(["scripted-model", "scripted-mini", "scripted-mini"], _backend.Requests.Select(r => r.Settings?.Model));
        Assert.Equal([null, "Answer in French.", null], _backend.Requests.Select(r => r.Settings?.Instructions));
        // One conversation throughout: no reset was needed.
        Assert.Single(_backend.Created, c => c.Kind == RemoteObjectKind.Conversation && _backend.Requests[0].Thread.RemoteConversationId == c.Id);
        Assert.Equal(["scripted-mini", "scripted-model"],
            (await bot.Store.GetModelUsageAsync(UsageOwner.Place(Server.Id), Today)).Select(m => m.Model));
    }

    [Fact]
    public async Task AStoredModelThatIsNotAllowed_IsCountedAsTheConfiguredModel()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions());
        await bot.Store.ChangePlaceSettingAsync(new PlaceSettingChange(Channel1.Id, SettingNames.Model, "gpt-withdrawn", "test:admin", Noon));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c1", "one", Path1)));

        Assert.Equal(["scripted-model"], (await bot.Store.GetModelUsageAsync(UsageOwner.Place(Channel1.Id), Today)).Select(m => m.Model));
    }

    [Fact]
    public async Task APlaceBudgetCrossedDuringATurn_LetsItFinish_AndTheNextTurnThereIsRefusedNamingTheServersLimit()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions { PerPlaceDailyTokens = 30 });

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c1", "one", Path1)));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c2", "two", Path2, author: "Grace")));
        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(Ask(bot, "c1", "three", Path1, author: "Linus")));

        Assert.Equal(2, _backend.Requests.Count);
        Assert.Equal(ReplyEndingKind.OverBudget, bot.Channel.Replies[^1].Final?.Ending?.Kind);
        Assert.Equal("This server's daily budget of 30 tokens is used up; it resets at 00:00 UTC (in 12 h).", bot.Channel.Replies[^1].Text);
        Assert.Equal(new UsageTotals(42, 2, 42, 2), await bot.Store.GetPlaceUsageAsync(Server.Id, Today));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c9", "elsewhere", PlacePath.Of(new Place("test:dm", PlaceKind.DirectChat)), author: "Linus")));
    }

    [Fact]
    public async Task APerUserLimitSetAtAPlace_RefusesThereOnly()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock, budgets: new BudgetOptions());
        await bot.Places.SetAsync(Channel1, SettingNames.PerUserDailyTokens, "20", "test:admin");

        await bot.AskAsync(Ask(bot, "c1", "one", Path1));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(Ask(bot, "c1", "two", Path1)));
        Assert.Equal("You've used your daily budget of 20 tokens; it resets at 00:00 UTC (in 12 h).", bot.Channel.Replies[^1].Text);
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c2", "three", Path2)));
    }

    [Fact]
    public async Task TwoTurnsFinishingAtOnceNearTheLimit_AreBothCounted_AndTheNextIsRefused()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        _backend.Script = (_, cancellationToken) => AfterBoth();
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock,
            budgets: new BudgetOptions { PerUserDailyTokens = 30, PerPlaceDailyTokens = 30 });

        var first = await bot.Service.AcceptAsync(Ask(bot, "c1", "one", Path1));
        var second = await bot.Service.AcceptAsync(Ask(bot, "c2", "two", Path2));
        Assert.Equal([TurnStatus.Completed, TurnStatus.Completed], await Task.WhenAll(first.Answered, second.Answered).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(new UsageTotals(42, 2, 42, 2), await bot.Store.GetUserUsageAsync("test", "ada", Today));
        Assert.Equal(new UsageTotals(42, 2, 42, 2), await bot.Store.GetPlaceUsageAsync(Server.Id, Today));
        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(Ask(bot, "c1", "three", Path1)));
        Assert.Equal(2, _backend.Requests.Count);

        async IAsyncEnumerable<AssistantEvent> AfterBoth()
        {
            if (Interlocked.Increment(ref started) == 2)
                bothStarted.SetResult();
            await bothStarted.Task;
            await foreach (var e in Answer())
                yield return e;
        }
    }

    [Fact]
    public async Task WhenTheSettingsAndTheLedgerCannotBeRead_TheTurnIsAnsweredWithTheConfiguredSettings()
    {
        await using var bot = await CoreHarness.StartAsync(_backend, Unpaced(), time: _clock,
            budgets: new BudgetOptions { PerUserDailyTokens = 10, PerPlaceDailyTokens = 10 },
            placeSettingsStore: new BrokenStore(), ledger: new BrokenStore());

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c1", "one", Path1)));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(Ask(bot, "c1", "two", Path1)));

        Assert.Equal("21 tokens", bot.Channel.Replies[^1].Text);
        Assert.All(_backend.Requests, r => Assert.Equal("scripted-model", r.Settings?.Model));
    }

    [Fact]
    public async Task AMessageLeftWaitingByARestart_IsAnsweredWithItsPlacesModel_AndCountedAtItsPlaces()
    {
        using var folder = new TempDirectory();
        await using (var before = await CoreHarness.StartAsync(_backend, Unpaced(), databasePath: folder.File("bot.db"), time: _clock,
            budgets: new BudgetOptions(), recover: false))
        {
            Assert.True((await before.Places.SetAsync(Server, SettingNames.Model, "scripted-mini", "test:admin")).Succeeded);
            // What a stop leaves behind: a message accepted whose turn never ran.
            Assert.NotNull(await before.Store.TryAcceptAsync(Ask(before, "c1", "still waiting", Path1), Noon));
        }

        await using var after = await CoreHarness.StartAsync(_backend, Unpaced(), databasePath: folder.File("bot.db"), time: _clock,
            budgets: new BudgetOptions());
        await after.Channel.Changes.UntilAsync(() => after.Channel.Replies.Count == 1 && after.Channel.Replies[0].Final is not null);
        // The usage is recorded just after the reply is finished.
        for (var i = 0; i < 200 && (await after.Store.GetPlaceUsageAsync(Server.Id, Today)).DayTokens == 0; i++)
            await Task.Delay(25);

        Assert.Equal("scripted-mini", Assert.Single(_backend.Requests).Settings?.Model);
        Assert.Equal(21, (await after.Store.GetPlaceUsageAsync(Server.Id, Today)).DayTokens);
    }

    private static IncomingMessage Ask(CoreHarness bot, string conversation, string text, PlacePath path, string author = "Ada") =>
        bot.Channel.Message(conversation, text, author: author) with { Places = path };

    private static IAsyncEnumerable<AssistantEvent> Answer() =>
        Events(new TextDelta("p", "21 tokens"), new UsageReported(new TokenUsage(15, 6)), new TurnFinished());

    private sealed class BrokenStore : IPlaceSettingsStore, IUsageLedger
    {
        private static Exception Down => new InvalidOperationException("The database is down.");

        public Task<IReadOnlyList<StoredPlaceSetting>> GetPlaceSettingsAsync(IReadOnlyCollection<string> placeIds, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<StoredPlaceSetting>>(Down);

        public Task ChangePlaceSettingAsync(PlaceSettingChange change, CancellationToken cancellationToken = default) => Task.FromException(Down);

        public Task<IReadOnlyList<PlaceSettingChange>> GetPlaceSettingHistoryAsync(string placeId, int limit, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<PlaceSettingChange>>(Down);

        public Task RecordUsageAsync(UsageEntry entry, CancellationToken cancellationToken = default) => Task.FromException(Down);

        public Task<UsageTotals> GetUserUsageAsync(string channel, string userId, DateOnly day, CancellationToken cancellationToken = default) =>
            Task.FromException<UsageTotals>(Down);

        public Task<UsageTotals> GetPlaceUsageAsync(string placeId, DateOnly day, CancellationToken cancellationToken = default) =>
            Task.FromException<UsageTotals>(Down);

        public Task<IReadOnlyList<ModelUsage>> GetModelUsageAsync(UsageOwner owner, DateOnly day, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<ModelUsage>>(Down);

        public Task<IReadOnlyList<PlaceUserUsage>> GetTopPlaceUsersAsync(string placeId, DateOnly day, int count, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<PlaceUserUsage>>(Down);
    }
}
