using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Bot.Testing.Teams;

/// <summary>Real recorded activities, re-addressed to the fakes (each fixture is read once, then copied).</summary>
public static class Activities
{
    private static readonly ConcurrentDictionary<string, JsonObject> s_recorded = new(StringComparer.Ordinal);
    private static int s_next = 1;

    public static JsonObject FromFixture(string name, string serviceUrl, string? conversationId = null, string? text = null)
    {
        var recorded = s_recorded.GetOrAdd(name, n => JsonNode.Parse(File.ReadAllText(Fixtures.Path("teams", n)))!.AsObject());
        JsonObject activity;
        lock (recorded)
            activity = recorded.DeepClone().AsObject();
        if (activity["body"] is JsonObject body && activity["type"]?.GetValue<string>() == "request")
            activity = body.DeepClone().AsObject(); // a recorded HTTP request: the activity is its body

        var oldBot = activity["recipient"]?["id"]?.GetValue<string>();
        var bot = $"28:{FakeTeamsServer.AppId}";
        activity["recipient"]!["id"] = bot;
        foreach (var entity in (activity["entities"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (entity["mentioned"]?["id"]?.GetValue<string>() == oldBot)
                entity["mentioned"]!["id"] = bot;
        }

        foreach (var member in (activity["membersAdded"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (member["id"]?.GetValue<string>() == oldBot)
                member["id"] = bot;
        }

        activity["serviceUrl"] = serviceUrl;
        activity["id"] = $"{Interlocked.Increment(ref s_next)}{DateTime.UtcNow.Ticks % 1_000_000_000}";
        if (conversationId is not null)
            activity["conversation"]!["id"] = conversationId;
        if (text is not null)
            activity["text"] = text;
        return activity;
    }

    public static string ConversationId(JsonObject activity) => activity["conversation"]!["id"]!.GetValue<string>();

    public static string Id(JsonObject activity) => activity["id"]!.GetValue<string>();

    /// <summary>
    /// Makes <paramref name="activity"/> a group chat message that @mentions the bot, as Teams delivers group messages to a
    /// bot (the mention markup first in the text, a mention entity naming the bot).
    /// </summary>
    public static JsonObject InGroupChat(JsonObject activity, string conversationId, string? tenantId = null)
    {
        activity["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "groupChat", ["isGroup"] = true };
        if (tenantId is not null)
            activity["conversation"]!["tenantId"] = tenantId;
        return MentioningBot(activity);
    }

    /// <summary>Adds the bot's @mention (markup in the text and its entity) to <paramref name="activity"/>.</summary>
    public static JsonObject MentioningBot(JsonObject activity)
    {
        const string markup = "<at>Bot</at>";
        activity["text"] = markup + " " + activity["text"]?.GetValue<string>();
        if (activity["entities"] is not JsonArray entities)
            activity["entities"] = entities = [];
        entities.Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = markup,
            ["mentioned"] = new JsonObject { ["id"] = $"28:{FakeTeamsServer.AppId}", ["name"] = "Bot" },
        });
        return activity;
    }

    /// <summary>A personal chat message (the personal_message fixture) in its own conversation.</summary>
    public static JsonObject Personal(string serviceUrl, string text) =>
        FromFixture("personal_message.json", serviceUrl, $"a:test-{Guid.NewGuid():N}", text);
}
