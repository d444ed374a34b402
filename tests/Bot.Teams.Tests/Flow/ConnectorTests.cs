using System.Text.Json.Nodes;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>Outbound: Retry-After on 429, retries of 412, the client-credentials token per app type, cached.</summary>
public sealed class ConnectorTests
{
    private const string Group = "19:retrygroup@thread.v2";

    [Fact]
    public async Task Connector429WithRetryAfter_IsWaitedOut_AndTheReplyDelivered()
    {
        await using var bot = await TeamsHarness.StartAsync();
        bot.Teams.FailNext(r => r.ConversationId == Group && r.Type == "message" && r.Method == "POST", 429, retryAfter: TimeSpan.FromSeconds(2));

        await bot.SendAsync(GroupMessage(bot, "hello"));
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Group && x.Type == "message" && x.Succeeded));

        var posts = bot.Teams.Requests.Where(r => r.ConversationId == Group && r.Type == "message").ToList();
        Assert.Equal(429, posts[0].Status);
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromMilliseconds(1950), "the retry waited for Retry-After");
        Assert.True(posts[1].Succeeded);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Group && x.Succeeded && x.Text == "You said: Tien Suwandy: hello"));
    }

    [Fact]
    public async Task Connector412OnAnUpdate_IsRetried()
    {
        await using var bot = await TeamsHarness.StartAsync();
        bot.OpenAI.Enqueue(Bot.Testing.OpenAI.FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(200)).Text("one two three four five six seven eight nine ten eleven twelve"));
        bot.Teams.FailNext(r => r.ConversationId == Group && r.Method == "PUT", 412, "PreconditionFailed", "Precondition failed");

        await bot.SendAsync(GroupMessage(bot, "count"));
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Group && x.Method == "PUT" && x.Succeeded
            && x.Text == "one two three four five six seven eight nine ten eleven twelve"));

        Assert.Contains(bot.Teams.Requests, r => r.Method == "PUT" && r.Status == 412);
    }

    [Fact]
    public async Task MultiTenantBot_GetsOneTokenFromTheBotFrameworkTenant_ForAllCalls()
    {
        await using var bot = await TeamsHarness.StartAsync();

        await AskPersonalAsync(bot, "first");
        await AskPersonalAsync(bot, "second");

        Assert.Equal(["botframework.com"], bot.Teams.TokenRequests);
    }

    [Fact]
    public async Task SingleTenantBot_GetsItsTokenFromItsOwnTenant()
    {
        const string tenant = "50612dbb-0237-4969-b378-8d42590f9c00";
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:AppType"] = "SingleTenant", ["Teams:TenantId"] = tenant });

        await AskPersonalAsync(bot, "hello");

        Assert.Equal([tenant], bot.Teams.TokenRequests);
    }

    [Fact]
    public async Task UserAssignedManagedIdentityBot_GetsItsTokenFromTheIdentityEndpoint()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Teams:AppType"] = "UserAssignedMsi",
            ["Teams:AppPassword"] = "",
            ["Teams:TenantId"] = "50612dbb-0237-4969-b378-8d42590f9c00",
        });
        bot.Teams.TokenLifetime = TimeSpan.FromHours(1);

        await AskPersonalAsync(bot, "hello");

        Assert.Equal(["msi"], bot.Teams.TokenRequests);
    }

    [Fact]
    public async Task TokenNearExpiry_IsFetchedAgain()
    {
        await using var bot = await TeamsHarness.StartAsync();
        bot.Teams.TokenLifetime = TimeSpan.FromMinutes(4); // inside the five minutes the bot refreshes ahead

        await AskPersonalAsync(bot, "first");
        var afterFirst = bot.Teams.TokenRequests.Count;
        await AskPersonalAsync(bot, "second");

        Assert.True(bot.Teams.TokenRequests.Count > afterFirst);
    }

    private static JsonObject GroupMessage(TeamsHarness bot, string text)
    {
        return Activities.InGroupChat(Activities.Personal(bot.Teams.ServiceUrl, text), Group);
    }

    private static async Task AskPersonalAsync(TeamsHarness bot, string text)
    {
        var activity = Activities.Personal(bot.Teams.ServiceUrl, text);
        await bot.SendAsync(activity);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Activities.ConversationId(activity) && x.StreamType == "final"));
    }
}
