using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>
/// Who the bot answers: Discord:AllowDirectMessages, AllowedUserIds and AllowedRoleIds, for messages (silently
/// ignored, not stored), slash commands and the Stop button (a short ephemeral sentence).
/// </summary>
public sealed class AccessTests
{
    private const string Alice = "1033044521375764530", Bob = "1200000000000000002", Carol = "1200000000000000003";
    private const string AllowedRole = "1300000000000000001", OtherRole = "1300000000000000002";
    private const string NotDirectMessages = "I don't answer direct messages.", NotYou = "Sorry, I'm not set up to answer you here.";

    [Fact]
    public async Task DirectMessagesOff_ADmIsNeitherAnsweredNorStored_AndCommandsInDmsAreRefused_ServersStillWork()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.AllowDirectMessages = false);
        var dm = bot.Direct("hello in private");
        await bot.SendAsync(dm);
        var reset = Interactions.Command(bot, "reset", dm["channel_id"]!.GetValue<string>(), channelType: 1, inGuild: false);
        await bot.Discord.SendInteractionAsync(reset);
        var refusal = await Interactions.AnsweredAsync(bot, reset);

        // Dispatches are handled in order: once this one is answered, the DM before it was decided on.
        var marker = bot.Mention("and in the server?");
        await bot.SendAsync(marker);
        await bot.AnsweredAsync(marker);

        Assert.Equal((4, true, NotDirectMessages), (refusal.CallbackType, refusal.Ephemeral, refusal.Content));
        Assert.Equal("Test User: and in the server?", Assert.Single(bot.OpenAI.ResponseRequests).UserText);
        Assert.Empty(bot.Discord.MessagesIn(dm["channel_id"]!.GetValue<string>()));
        Assert.False(await bot.WasStoredAsync(dm));
    }

    [Fact]
    public async Task AllowedUserIds_OtherUsersGetNoAnswerInServersOrDms_TheirCommandsAndClicksAreRefused_ListedUsersAreAnswered()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.AllowedUserIds.Add(Alice));
        var bobInServer = bot.Mention("me too?", authorId: Bob);
        var bobDm = bot.Direct("and here?", channelId: "1400000000000000002");
        bobDm["author"]!["id"] = Bob;
        await bot.SendAsync(bobInServer);
        await bot.SendAsync(bobDm);
        var bobReset = await Interactions.SendCommandAsync(bot, "reset", DiscordHarness.GuildChannel,
            c => c.From(Bob, Interactions.MemberPermissions));
        Assert.Equal(NotYou, (await Interactions.AnsweredAsync(bot, bobReset)).Content);

        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400))));
        var alice = bot.Mention("tell me a long story");
        await bot.SendAsync(alice);
        await bot.WaitUntilAsync(() => bot.RepliesTo(alice) is [{ HasStopButton: true }], "Alice's answer with its Stop button");
        var streaming = bot.RepliesTo(alice)[0];
        // Bob may not stop it even as a moderator: he is not someone the bot serves.
        var bobClick = Interactions.StopClick(bot, streaming).From(Bob, Interactions.ModeratorPermissions);
        await bot.Discord.SendInteractionAsync(bobClick);
        var bobClickAnswer = await Interactions.AnsweredAsync(bot, bobClick);
        Assert.Equal((4, true, NotYou), (bobClickAnswer.CallbackType, bobClickAnswer.Ephemeral, bobClickAnswer.Content));
        Assert.True(streaming.HasStopButton);

        var aliceClick = Interactions.StopClick(bot, streaming);
        await bot.Discord.SendInteractionAsync(aliceClick);
        await bot.AnsweredAsync(alice);
        var aliceDm = bot.Direct("and in private?");
        await bot.SendAsync(aliceDm);
        await bot.AnsweredAsync(aliceDm);

        Assert.Equal(["Test User: tell me a long story", "and in private?"], bot.OpenAI.ResponseRequests.Select(r => r.UserText));
        Assert.Empty(bot.RepliesTo(bobInServer));
        Assert.Empty(bot.RepliesTo(bobDm));
        Assert.False(await bot.WasStoredAsync(bobInServer));
    }

    [Fact]
    public async Task AllowedRoleIds_AMemberWithTheRoleIsAnswered_OthersAreNot_AndADmNeedsAListedUser()
    {
        await using var bot = await DiscordHarness.StartAsync(o =>
        {
            o.AllowedRoleIds.Add(AllowedRole);
            o.AllowedUserIds.Add(Carol);
        });
        var withoutRole = bot.Mention("can I?", authorId: Bob);
        withoutRole["member"]!["roles"] = new JsonArray(OtherRole);
        var aliceDm = bot.Direct("roles can't be seen here");
        await bot.SendAsync(withoutRole);
        await bot.SendAsync(aliceDm);
        var withRole = bot.Mention("may I?");
        withRole["member"]!["roles"] = new JsonArray(OtherRole, AllowedRole);
        await bot.SendAsync(withRole);
        await bot.AnsweredAsync(withRole);
        var carolDm = bot.Direct("a listed user in private", channelId: "1400000000000000009");
        carolDm["author"]!["id"] = Carol;
        await bot.SendAsync(carolDm);
        await bot.AnsweredAsync(carolDm);

        var bobStop = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel,
            c => c.From(Bob, Interactions.MemberPermissions, OtherRole));
        var aliceStop = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel,
            c => c.From(Alice, Interactions.MemberPermissions, AllowedRole));
        Assert.Equal(NotYou, (await Interactions.AnsweredAsync(bot, bobStop)).Content);
        Assert.Equal("I'm not writing an answer here right now.", (await Interactions.AnsweredAsync(bot, aliceStop)).Content);

        Assert.Equal(["Test User: may I?", "a listed user in private"], bot.OpenAI.ResponseRequests.Select(r => r.UserText));
        Assert.Empty(bot.RepliesTo(withoutRole));
        Assert.Empty(bot.RepliesTo(aliceDm));
    }

    [Fact]
    public async Task TheServersOwnId_StandsForItsEveryoneRole()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.AllowedRoleIds.Add("1457468924290662599"));
        var elsewhere = bot.Mention("from another server", channelId: "1457510428359004999");
        elsewhere["guild_id"] = "1457468924290669999";
        await bot.SendAsync(elsewhere);
        var member = bot.Mention("any member here");
        await bot.SendAsync(member);

        Assert.Single(await bot.AnsweredAsync(member));
        Assert.False(await bot.WasStoredAsync(elsewhere));
    }
}
