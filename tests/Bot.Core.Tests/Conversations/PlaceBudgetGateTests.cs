using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Testing;
using Bot.Testing.Backends;
using Microsoft.Extensions.Configuration;

namespace Bot.Core.Tests.Conversations;

/// <summary>Per-place and per-tenant budgets, and a place's own per-user limits: which limit refuses, whose it is, when it resets.</summary>
public sealed class PlaceBudgetGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 18, 48, 0, TimeSpan.Zero);
    private static readonly Place Tenant = new("teams:t1", PlaceKind.Tenant);
    private static readonly Place Team = new("teams:team1", PlaceKind.Team);
    private static readonly PlacePath TeamChannel1 = PlacePath.Of(Tenant, Team, new Place("teams:ch1", PlaceKind.Channel));
    private static readonly PlacePath TeamChannel2 = PlacePath.Of(Tenant, Team, new Place("teams:ch2", PlaceKind.Channel));
    private static readonly PlacePath OtherTeam = PlacePath.Of(Tenant, new Place("teams:team2", PlaceKind.Team), new Place("teams:ch3", PlaceKind.Channel));
    private static readonly Place Server = new("discord:g1", PlaceKind.Server);
    private static readonly PlacePath ServerChannel1 = PlacePath.Of(Server, new Place("discord:c1", PlaceKind.Channel));
    private static readonly PlacePath ServerChannel2 = PlacePath.Of(Server, new Place("discord:c2", PlaceKind.Channel));
    private static readonly PlacePath Dm = PlacePath.Of(new Place("discord:dm1", PlaceKind.DirectChat));

    private readonly ManualClock _clock = new(Start);
    private readonly MemoryLedger _ledger = new();

    [Fact]
    public async Task PerPlaceDailyBudget_CountsTheWholeTeam_AndNamesTheTeamsLimit()
    {
        var (gate, places) = Gate(new BudgetOptions { PerPlaceDailyTokens = 100 });
        await gate.RecordAsync(Key("teams", "ch1"), Ada, TeamChannel1, "m", new TokenUsage(50, 10));
        Assert.Null(await gate.CheckAsync("teams", "grace", 1, await places.ResolveAsync(TeamChannel2)));

        await gate.RecordAsync(Key("teams", "ch2"), Grace, TeamChannel2, "m", new TokenUsage(30, 10));

        Assert.Equal("This team's daily budget of 100 tokens is used up; it resets at 00:00 UTC (in 5 h 12 min).",
            await gate.CheckAsync("teams", "grace", 1, await places.ResolveAsync(TeamChannel2)));
        Assert.Equal("This team's daily budget of 100 tokens is used up; it resets at 00:00 UTC (in 5 h 12 min).",
            await gate.CheckAsync("teams", "someone", 1, await places.ResolveAsync(TeamChannel1)));
        Assert.Null(await gate.CheckAsync("teams", "grace", 1, await places.ResolveAsync(OtherTeam)));
        _clock.Advance(TimeSpan.FromHours(5.2));
        Assert.Null(await gate.CheckAsync("teams", "grace", 1, await places.ResolveAsync(TeamChannel2)));
    }

    [Fact]
    public async Task AMonthlyLimitSetOnAChannel_CountsThatChannelOnly_AndNamesTheChannel()
    {
        var (gate, places) = Gate(new BudgetOptions(), ("Places:discord:c1:Budgets:PerPlaceMonthlyTokens", "1k"));
        await gate.RecordAsync(Key("discord", "c2"), Ada, ServerChannel2, "m", new TokenUsage(5000, 0));
        Assert.Null(await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel1)));

        _clock.Advance(TimeSpan.FromDays(1));
        await gate.RecordAsync(Key("discord", "c1"), Grace, ServerChannel1, "m", new TokenUsage(900, 100));

        Assert.Equal("This channel's monthly budget of 1,000 tokens is used up; it resets on 1 January at 00:00 UTC (in 28 d 5 h).",
            await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel1)));
        Assert.Null(await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel2)));
    }

    [Fact]
    public async Task PerTenantMonthlyBudget_CountsEveryTeamOfTheOrganization_AndADiscordServerIsItsOwnTenant()
    {
        var (gate, places) = Gate(new BudgetOptions { PerTenantMonthlyTokens = 100 });
        await gate.RecordAsync(Key("teams", "ch1"), Ada, TeamChannel1, "m", new TokenUsage(60, 0));
        await gate.RecordAsync(Key("teams", "ch3"), Grace, OtherTeam, "m", new TokenUsage(40, 0));
        await gate.RecordAsync(Key("discord", "c1"), Ada, ServerChannel1, "m", new TokenUsage(100, 0));
        await gate.RecordAsync(Key("discord", "dm1"), Ada, Dm, "m", new TokenUsage(1000, 0));

        Assert.Equal("This organization's monthly budget of 100 tokens is used up; it resets on 1 January at 00:00 UTC (in 29 d 5 h).",
            await gate.CheckAsync("teams", "someone", 1, await places.ResolveAsync(TeamChannel2)));
        Assert.Equal("This server's monthly budget of 100 tokens is used up; it resets on 1 January at 00:00 UTC (in 29 d 5 h).",
            await gate.CheckAsync("discord", "someone", 1, await places.ResolveAsync(ServerChannel2)));
        Assert.Null(await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(Dm)));
    }

    [Fact]
    public async Task APlaceMayOverrideThePerUserLimit_ForTurnsThereOnly()
    {
        var (gate, places) = Gate(new BudgetOptions { PerUserDailyTokens = 1000 }, ("Places:discord:c1:Budgets:PerUserDailyTokens", "30"));
        await gate.RecordAsync(Key("discord", "c2"), Ada, ServerChannel2, "m", new TokenUsage(20, 20));

        Assert.Equal("You've used your daily budget of 30 tokens; it resets at 00:00 UTC (in 5 h 12 min).",
            await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel1)));
        Assert.Null(await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel2)));
    }

    [Fact]
    public async Task AnExemptUser_IsAnsweredAtAPlaceOverItsLimit_AndStillCountsTowardsIt()
    {
        var options = new BudgetOptions { PerPlaceDailyTokens = 10 };
        options.ExemptUserIds.Add("ada");
        var (gate, places) = Gate(options);
        await gate.RecordAsync(Key("discord", "c1"), Ada, ServerChannel1, "m", new TokenUsage(50, 0));

        Assert.Null(await gate.CheckAsync("discord", "ada", 1, await places.ResolveAsync(ServerChannel1)));
        Assert.NotNull(await gate.CheckAsync("discord", "grace", 1, await places.ResolveAsync(ServerChannel2)));
        Assert.Equal(50, (await _ledger.GetPlaceUsageAsync(Server.Id, Day)).DayTokens);
    }

    [Fact]
    public async Task OnlyLimitedOwnersAreRead_EachOnce()
    {
        var (gate, places) = Gate(new BudgetOptions { PerPlaceDailyTokens = 100, PerPlaceMonthlyTokens = 1000, PerTenantMonthlyTokens = 5000 });
        var settings = await places.ResolveAsync(ServerChannel1);

        Assert.Null(await gate.CheckAsync("discord", "ada", 1, settings));

        // The server is the community (both place limits) and the tenant: one read, and none of the user (no per-user limit).
        Assert.Equal(["place:discord:g1"], _ledger.ReadOwners);
        var (unlimited, unlimitedPlaces) = Gate(new BudgetOptions());
        Assert.Null(await unlimited.CheckAsync("discord", "ada", 1, await unlimitedPlaces.ResolveAsync(ServerChannel1)));
        Assert.Single(_ledger.ReadOwners);
    }

    [Fact]
    public async Task ARecordCountsEveryLevelOfThePath_WithTheAuthorsNameAndTheModel()
    {
        var (gate, _) = Gate(new BudgetOptions());

        await gate.RecordAsync(Key("teams", "ch1"), Ada, TeamChannel1, "gpt-x", new TokenUsage(7, 3, 2));

        var top = Assert.Single(await _ledger.GetTopPlaceUsersAsync(Tenant.Id, Day, 10));
        Assert.Equal(("ada", "Ada Lovelace", "gpt-x", new TokenUsage(7, 3, 2)), (top.UserId, top.DisplayName, top.Models[0].Model, top.Models[0].Usage));
        Assert.Equal(10, (await _ledger.GetPlaceUsageAsync("teams:ch1", Day)).DayTokens);
        Assert.Equal(10, (await _ledger.GetPlaceUsageAsync(Team.Id, Day)).DayTokens);
    }

    private static readonly MessageAuthor Ada = new("ada", "Ada Lovelace");
    private static readonly MessageAuthor Grace = new("grace", "Grace Hopper");
    private static readonly DateOnly Day = DateOnly.FromDateTime(Start.UtcDateTime);

    private static ConversationKey Key(string channel, string id) => new(channel, id);

    private (BudgetGate Gate, PlaceSettings Places) Gate(BudgetOptions options, params (string Key, string Value)[] configuration)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)))
            .Build();
        return (new BudgetGate(options, _ledger, _clock), new PlaceSettings(null, config, new ScriptedBackend(), options, _clock));
    }
}
