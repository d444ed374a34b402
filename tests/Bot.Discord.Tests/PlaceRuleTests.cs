using System.Text.Json.Nodes;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Discord.Adapter;
using Bot.Testing.OpenAI;
using static Bot.Discord.Tests.AdminCommands;

namespace Bot.Discord.Tests;

/// <summary>Per-place rules on messages: ReplyMode, the place's allow-lists, ConversationScope; and the place path a message carries.</summary>
public sealed class PlaceRuleTests
{
    private const string OtherChannel = "1457510428359004999";
    private const string Someone = "222222222222222222";

    [Fact]
    public async Task ReplyModeAll_InAChannel_AnswersAnUnmentionedMessage_AndLeavesOtherChannelsAlone()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await RunAsync(bot, Settings(bot, "set", ("name", "ReplyMode"), ("value", "All")));

        var other = bot.Plain("nobody asked you", OtherChannel);
        await bot.SendAsync(other);
        var plain = bot.Plain("what is 2 + 2?");
        await bot.SendAsync(plain);

        Assert.Single(await bot.AnsweredAsync(plain));
        Assert.Empty(bot.RepliesTo(other));
        Assert.False(await bot.WasStoredAsync(other));
    }

    [Fact]
    public async Task ReplyModeAll_SetOnAChannel_AppliesInItsThreads_WhoseParentTheBotFetches()
    {
        await using var bot = await DiscordHarness.StartAsync(arrange: d => d.AddChannel(new JsonObject
        {
            ["id"] = ThreadId, ["type"] = 11, ["guild_id"] = d.GuildId, ["parent_id"] = DiscordHarness.GuildChannel, ["name"] = "a thread",
        }));
        await RunAsync(bot, Settings(bot, "set", ("name", "ReplyMode"), ("value", "All")));

        var message = bot.Plain("in the thread, unmentioned", ThreadId);
        message["channel_type"] = 11;
        await bot.SendAsync(message);

        Assert.Single(await bot.AnsweredAsync(message));
        Assert.Single(bot.Discord.Requests, r => r.Method == "GET" && r.Path == $"/channels/{ThreadId}");
    }

    [Fact]
    public async Task AMessage_CarriesItsPlacePath_ServerChannelThread()
    {
        await using var bot = await DiscordHarness.StartAsync(arrange: d => d.AddChannel(new JsonObject
        {
            ["id"] = ThreadId, ["type"] = 11, ["guild_id"] = d.GuildId, ["parent_id"] = DiscordHarness.GuildChannel,
        }));
        var router = bot.Services.GetRequiredServiceOf<MessageRouter>();

        var inChannel = await router.RouteAsync(Element(bot.Mention("hi")), bot.Discord.BotUserId);
        var thread = bot.Mention("hi", ThreadId);
        thread["channel_type"] = 11;
        var inThread = await router.RouteAsync(Element(thread), bot.Discord.BotUserId);
        var inDm = await router.RouteAsync(Element(bot.Direct("hi")), bot.Discord.BotUserId);

        Assert.Equal([(Server(bot), PlaceKind.Server), (Channel(), PlaceKind.Channel)], Levels(inChannel!));
        Assert.Equal([(Server(bot), PlaceKind.Server), (Channel(), PlaceKind.Channel), (Channel(ThreadId), PlaceKind.Thread)], Levels(inThread!));
        Assert.Equal([("discord:1400000000000000001", PlaceKind.DirectChat)], Levels(inDm!));
    }

    [Fact]
    public async Task AThreadWhoseParentCannotBeFetched_SitsRightBelowTheServer_AndIsFetchedOnlyOnce()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var router = bot.Services.GetRequiredServiceOf<MessageRouter>();

        IncomingMessage? routed = null;
        for (var i = 0; i < 2; i++)
        {
            var message = bot.Mention("hi", ThreadId);
            message["channel_type"] = 11;
            routed = await router.RouteAsync(Element(message), bot.Discord.BotUserId);
        }

        Assert.Equal([(Server(bot), PlaceKind.Server), (Channel(ThreadId), PlaceKind.Thread)], Levels(routed!));
        Assert.Single(bot.Discord.Requests, r => r.Method == "GET" && r.Path == $"/channels/{ThreadId}" && r.Status == 404);
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 5100);
    }

    [Fact]
    public async Task AllowedUserIds_AtAChannel_OthersAreIgnoredSilently_TheListedUserIsAnswered_AndAManagerIsNotLockedOut()
    {
        await using var bot = await DiscordHarness.StartAsync();
        const string Listed = "1033044521375764530";
        await RunAsync(bot, Settings(bot, "set", ("name", "AllowedUserIds"), ("value", Listed)));

        var stranger = bot.Mention("let me in", authorId: Someone);
        await bot.SendAsync(stranger);
        var listed = bot.Mention("hello", authorId: Listed);
        await bot.SendAsync(listed);
        var elsewhere = bot.Mention("hello elsewhere", OtherChannel, authorId: Someone);
        await bot.SendAsync(elsewhere);

        Assert.Single(await bot.AnsweredAsync(listed));
        Assert.Single(await bot.AnsweredAsync(elsewhere));
        Assert.Empty(bot.RepliesTo(stranger));
        Assert.False(await bot.WasStoredAsync(stranger));

        // An ordinary member left out gets a refusal for commands; the manager, not on the list either, may still change it.
        Assert.Equal(AccessPolicy.Refusal(Access.UserNotAllowed),
            EphemeralText(await RunAsync(bot, Slash(bot, "usage").From(Someone, Interactions.MemberPermissions))));
        Assert.Equal("`AllowedUserIds` is cleared here; the value from further out applies.",
            EphemeralText(await RunAsync(bot, Settings(bot, "clear", ("name", "AllowedUserIds")))));
    }

    [Fact]
    public async Task AllowedRoleIds_AtAChannel_AdmitsMembersWithTheRole()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await RunAsync(bot, Settings(bot, "set", ("name", "AllowedRoleIds"), ("value", "555555555555555555")));

        var without = bot.Mention("no role", authorId: Someone);
        await bot.SendAsync(without);
        var with = bot.Mention("with role", authorId: "444444444444444444");
        with["member"]!["roles"] = new JsonArray("555555555555555555");
        await bot.SendAsync(with);

        Assert.Single(await bot.AnsweredAsync(with));
        Assert.False(await bot.WasStoredAsync(without));
    }

    [Fact]
    public async Task ConversationScopeUser_AtAChannel_GivesEachUserTheirOwnConversationThere()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await RunAsync(bot, Settings(bot, "set", ("name", "ConversationScope"), ("value", "user")));

        var first = bot.Mention("mine", authorId: "1033044521375764530");
        await bot.SendAsync(first);
        await bot.AnsweredAsync(first);
        var second = bot.Mention("mine too", authorId: Someone);
        await bot.SendAsync(second);
        await bot.AnsweredAsync(second);

        Assert.NotNull(await bot.Store.FindConversationAsync(new ConversationKey("discord", $"channel:{DiscordHarness.GuildChannel}:user:{Someone}")));
        var requests = bot.OpenAI.ResponseRequests;
        Assert.NotEqual(requests[0].ConversationId, requests[1].ConversationId);
    }

    private static System.Text.Json.JsonElement Element(JsonObject message) => System.Text.Json.JsonSerializer.SerializeToElement(message);

    private static List<(string, PlaceKind)> Levels(IncomingMessage message) => [.. message.Path.Levels.Select(l => (l.Id, l.Kind))];
}
