using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>Which messages the bot answers, and how an answer appears: typing, first message, edits, final text.</summary>
public sealed class MessageFlowTests
{
    [Fact]
    public async Task RecordedGuildMention_TypingThenAReplyThatIsEditedToTheFinalTextWithoutPings()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var words = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"word{i}"));
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(30)).Text(words));

        var mention = bot.Discord.Fixture("message_create_guild_bot_mention.json");
        await bot.SendAsync(mention);
        var reply = Assert.Single(await bot.AnsweredAsync(mention));

        Assert.Equal(words, reply.Content);
        Assert.True(reply.Revisions.Count >= 2, "the reply should be edited while the answer grows");
        Assert.All(reply.Revisions.Take(reply.Revisions.Count - 1), r => Assert.StartsWith(r.Content.TrimEnd('…', ' '), words, StringComparison.Ordinal));
        Assert.Equal("""{"parse":[],"replied_user":false}""", reply.AllowedMentions?.ToJsonString());
        Assert.Equal("Test User: Hey", Assert.Single(bot.OpenAI.ResponseRequests).UserText);

        var requests = bot.Discord.Requests;
        var typing = requests.ToList().FindIndex(r => r.Route == "POST /channels/:id/typing");
        var post = requests.ToList().FindIndex(r => r.Route == "POST /channels/:id/messages");
        Assert.InRange(typing, 0, post - 1);
        Assert.All(requests.Where(r => r.Route.StartsWith("PATCH", StringComparison.Ordinal) && r.Body?["content"] is not null),
            r => Assert.Equal("""{"parse":[],"replied_user":false}""", r.Body!["allowed_mentions"]?.ToJsonString()));
    }

    [Fact]
    public async Task DirectMessage_IsAnsweredWithoutAMentionAndWithoutTheAuthorsName()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var dm = bot.Direct("what is 2+2?");
        await bot.SendAsync(dm);

        var reply = Assert.Single(await bot.AnsweredAsync(dm));
        Assert.Equal("You said: what is 2+2?", reply.Content);
        Assert.Equal("what is 2+2?", Assert.Single(bot.OpenAI.ResponseRequests).UserText);
    }

    [Fact]
    public async Task ReplyToTheBotsMessage_IsAnsweredInTheSameConversation()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var first = bot.Mention("remember 42");
        await bot.SendAsync(first);
        var answer = Assert.Single(await bot.AnsweredAsync(first));

        var reply = bot.Plain("what number?");
        reply["type"] = 19;
        reply["message_reference"] = new JsonObject { ["message_id"] = answer.Id };
        reply["referenced_message"] = new JsonObject { ["id"] = answer.Id, ["author"] = new JsonObject { ["id"] = bot.Discord.BotUserId, ["bot"] = true } };
        await bot.SendAsync(reply);
        await bot.AnsweredAsync(reply);

        var requests = bot.OpenAI.ResponseRequests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].ConversationId, requests[1].ConversationId);
        Assert.Equal("Test User: what number?", requests[1].UserText);
    }

    [Fact]
    public async Task MentionOfTheBotsManagedRole_CountsAsAMentionAndIsStripped()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var message = bot.Plain($"<@&{bot.Discord.BotRoleId}> hello role");
        message["mention_roles"] = new JsonArray(bot.Discord.BotRoleId);
        await bot.SendAsync(message);

        Assert.Equal("You said: Test User: hello role", Assert.Single(await bot.AnsweredAsync(message)).Content);
    }

    [Fact]
    public async Task MessagesNotForTheBot_AndMessagesFromBots_GetNoReply()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var chatter = bot.Plain("just chatting among humans");
        var otherBot = bot.Mention("I am another bot");
        otherBot["author"]!["bot"] = true;
        var system = bot.Mention("joined");
        system["type"] = 7;
        var empty = bot.Plain("");
        await bot.SendAsync(chatter);
        await bot.SendAsync(otherBot);
        await bot.SendAsync(system);
        await bot.SendAsync(empty);

        // Dispatches are handled in order: once this one is answered, the ones before it were decided on.
        var marker = bot.Mention("marker");
        await bot.SendAsync(marker);
        await bot.AnsweredAsync(marker);

        Assert.Equal("Test User: marker", Assert.Single(bot.OpenAI.ResponseRequests).UserText);
        Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel));
    }

    [Fact]
    public async Task ThreadTheBotAnswersIn_NeedsNoMentionAfterTheFirst()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await SendInThreadAsync(bot, bot.Mention("start here", Thread));

        await SendInThreadAsync(bot, bot.Plain("and go on", Thread));

        var requests = bot.OpenAI.ResponseRequests;
        Assert.Equal(requests[0].ConversationId, requests[1].ConversationId);
    }

    [Fact]
    public async Task ThreadTheBotAnswersIn_NeedsNoMentionAfterARestartEither()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await SendInThreadAsync(bot, bot.Mention("start here", Thread));

        await bot.RestartAsync();
        await SendInThreadAsync(bot, bot.Plain("and go on", Thread));

        var requests = bot.OpenAI.ResponseRequests;
        Assert.Equal(requests[0].ConversationId, requests[1].ConversationId);
        Assert.True(await bot.Store.IsPlaceFollowedAsync("discord", Thread));
    }

    private const string Thread = "1457536551830421524";

    // A message in a public thread (channel type 11), sent and answered.
    private static async Task SendInThreadAsync(DiscordHarness bot, JsonObject message)
    {
        message["channel_type"] = 11;
        await bot.SendAsync(message);
        await bot.AnsweredAsync(message);
    }
}
