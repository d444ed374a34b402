using System.Net;
using Bot.Storage.Sqlite;
using Bot.Testing.OpenAI;
using Bot.Testing.Storage;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// An activity the bot could not store is never acknowledged with 200: the endpoint answers 503 with Retry-After, so
/// that the Bot Connector delivers it again, and the redelivery, once the store is back, is answered once.
/// </summary>
public sealed class StoreOutageTests
{
    [Fact]
    public async Task MessageWhileTheStoreIsUnreachable_Gets503WithRetryAfter_AndItsRedeliveryIsAnsweredOnce()
    {
        var outage = new StoreOutage();
        await using var bot = await TeamsHarness.StartAsync(services: s => outage.Apply<SqliteConversationStore>(s));
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Back again."));
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "are you there?");
        var conversation = Activities.ConversationId(activity);

        outage.Down();
        var refused = await bot.PostAsync(activity, bot.Teams.CreateToken());
        var refusedAgain = await bot.PostAsync(activity, bot.Teams.CreateToken());
        outage.Up();
        await bot.AskAsync(activity);
        var redelivered = await bot.PostAsync(activity, bot.Teams.CreateToken());
        await Task.Delay(300);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedAgain.StatusCode);
        Assert.True(outage.FailedCalls >= 2);
        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Single(bot.OpenAI.ResponseRequests);
        Assert.Single(bot.Teams.Requests, r => r.ConversationId == conversation && r.StreamType == "final");
    }

    [Fact]
    public async Task MessageInAGroupChatWhileTheStoreIsUnreachable_Gets503_NotA200ForSomethingNeverStored()
    {
        var outage = new StoreOutage();
        await using var bot = await TeamsHarness.StartAsync(services: s => outage.Apply<SqliteConversationStore>(s));
        var activity = Activities.InGroupChat(Activities.Personal(bot.Teams.ServiceUrl, "hello all"), "19:group-outage@thread.v2");

        outage.Down();
        var response = await bot.PostAsync(activity, bot.Teams.CreateToken());
        outage.Up();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(bot.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task SigningKeysUnavailable_Gets503WithRetryAfter_AndTheSameActivityIsTakenOnceTheKeysLoad()
    {
        await using var bot = await TeamsHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Keys are back."));
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "hello");

        bot.Teams.FailMetadata = true;
        var refused = await bot.PostAsync(activity, bot.Teams.CreateToken());
        bot.Teams.FailMetadata = false;
        await bot.AskAsync(activity);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Single(bot.OpenAI.ResponseRequests);
    }
}
