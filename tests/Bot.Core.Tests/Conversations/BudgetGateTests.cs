using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;

namespace Bot.Core.Tests.Conversations;

/// <summary>The budget check before a turn: which limit refuses, what the user reads, on virtual time.</summary>
public sealed class BudgetGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 48, 0, TimeSpan.Zero);
    private static readonly ConversationKey Key = new("discord", "c1");

    private readonly ManualClock _clock = new(Start);
    private readonly MemoryLedger _ledger = new();

    [Fact]
    public async Task DailyBudget_RefusesOnceUsed_NamingTheLimitAndTheResetTime()
    {
        var gate = Gate(new BudgetOptions { PerUserDailyTokens = 30 });
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));

        await gate.RecordAsync(Key, "u1", "m", new TokenUsage(20, 10));

        Assert.Equal("You've used your daily budget of 30 tokens; it resets at 00:00 UTC (in 5 h 12 min).", await gate.CheckAsync("discord", "u1", 1));
        Assert.Null(await gate.CheckAsync("teams", "u1", 1));
        _clock.Advance(TimeSpan.FromHours(5.2));
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
    }

    [Fact]
    public async Task MonthlyBudget_CountsEveryDayOfTheMonth_AndResetsOnTheFirst()
    {
        var gate = Gate(new BudgetOptions { PerUserMonthlyTokens = 1000, PerUserDailyTokens = 5000 });
        await gate.RecordAsync(Key, "u1", "m", new TokenUsage(600, 0));
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));

        await gate.RecordAsync(Key, "u1", "m", new TokenUsage(300, 100));

        Assert.Equal("You've used your monthly budget of 1,000 tokens; it resets on 1 January at 00:00 UTC (in 27 d 5 h).",
            await gate.CheckAsync("discord", "u1", 1));
    }

    [Fact]
    public async Task MessagesPerMinute_IsASlidingWindow_AndRefusedMessagesDoNotCount()
    {
        var gate = Gate(new BudgetOptions { PerUserMessagesPerMinute = 2 });
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal("You've sent 2 messages in the last minute, the most allowed; you can send again in 30 s.", await gate.CheckAsync("discord", "u1", 1));
        Assert.Null(await gate.CheckAsync("discord", "u2", 1));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        Assert.NotNull(await gate.CheckAsync("discord", "u1", 1));
    }

    [Fact]
    public async Task ACoalescedTurn_CountsEachOfItsMessagesTowardsTheRate()
    {
        var gate = Gate(new BudgetOptions { PerUserMessagesPerMinute = 3 });

        Assert.Null(await gate.CheckAsync("discord", "u1", 3));

        Assert.NotNull(await gate.CheckAsync("discord", "u1", 1));
    }

    [Theory]
    [InlineData("u1")]
    [InlineData("discord:u1")]
    public async Task ExemptUsers_AreNeverRefused_ButTheirUsageIsRecorded(string exempt)
    {
        var options = new BudgetOptions { PerUserDailyTokens = 1, PerUserMessagesPerMinute = 1 };
        options.ExemptUserIds.Add(exempt);
        var gate = Gate(options);
        await gate.RecordAsync(Key, "u1", "m", new TokenUsage(10, 10));

        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        Assert.Equal(20, (await _ledger.GetUserUsageAsync("discord", "u1", DateOnly.FromDateTime(Start.UtcDateTime))).DayTokens);
    }

    [Fact]
    public async Task AChannelQualifiedExemption_DoesNotExemptTheSameIdOnAnotherChannel()
    {
        var options = new BudgetOptions { PerUserMessagesPerMinute = 1 };
        options.ExemptUserIds.Add("teams:u1");
        var gate = Gate(options);

        Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        Assert.NotNull(await gate.CheckAsync("discord", "u1", 1));
    }

    [Fact]
    public async Task ZeroMeansNoLimit_AndTheLedgerIsNotEvenRead()
    {
        var gate = Gate(new BudgetOptions());
        await gate.RecordAsync(Key, "u1", "m", new TokenUsage(1_000_000, 1_000_000));

        for (var i = 0; i < 100; i++)
            Assert.Null(await gate.CheckAsync("discord", "u1", 1));
        Assert.Equal(0, _ledger.Reads);
    }

    [Theory]
    [InlineData(0.4, "1 s")]
    [InlineData(59, "59 s")]
    [InlineData(61, "2 min")]
    [InlineData(3600, "1 h")]
    [InlineData(3600 * 5 + 60 * 12, "5 h 12 min")]
    [InlineData(86400 * 3 + 3600 * 4 + 30, "3 d 4 h")]
    [InlineData(86400 * 2, "2 d")]
    public void Durations_AreShortAndNeverZero(double seconds, string expected) =>
        Assert.Equal(expected, BudgetText.Duration(TimeSpan.FromSeconds(seconds)));

    private BudgetGate Gate(BudgetOptions options) => new(options, _ledger, _clock);
}
