using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Core.Places;
using Bot.Teams.Adapter;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Places;

/// <summary>The place path of recorded Teams activities: tenant, then team and channel, or the chat.</summary>
public sealed class TeamsPlacesTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";

    [Fact]
    public void ChannelMessage_IsTenant_Team_ThenTheChannelWithoutItsThread()
    {
        var path = PathOf(Activities.FromFixture("channel_message_at_mention.json", ServiceUrl));

        Assert.Equal(
        [
            new Place("teams:50612dbb-0237-4969-b378-8d42590f9c00", PlaceKind.Tenant),
            new Place("teams:19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2", PlaceKind.Team),
            new Place("teams:19:6848757105754c8981c67612732d9aa7@thread.tacv2", PlaceKind.Channel),
        ], path.Levels);
    }

    [Fact]
    public void PersonalAndGroupChats_AreTheirTenant_ThenTheChat()
    {
        var personal = PathOf(Activities.FromFixture("personal_message.json", ServiceUrl, "a:1personal"));
        var group = PathOf(Activities.InGroupChat(Activities.FromFixture("personal_message.json", ServiceUrl), "19:group@thread.v2"));

        var tenant = new Place("teams:72f988bf-86f1-41af-91ab-2d7cd011db47", PlaceKind.Tenant);
        Assert.Equal([tenant, new Place("teams:a:1personal", PlaceKind.DirectChat)], personal.Levels);
        Assert.Equal([tenant, new Place("teams:19:group@thread.v2", PlaceKind.GroupChat)], group.Levels);
    }

    private static PlacePath PathOf(JsonObject json)
    {
        var activity = JsonSerializer.Deserialize(json.ToJsonString(), TeamsJson.Default.Activity)!;
        return TeamsPlaces.Of(IncomingTranslator.Address(activity), activity);
    }
}
