using System.Text.Json.Nodes;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>Only the person who asked, or a member who may manage messages, stops an answer (Stop button and /stop, both scopes).</summary>
public sealed class StopPermissionTests
{
    private const string Alice = "1033044521375764530", Bob = "1200000000000000002", Carol = "1200000000000000003";
    private const string Refusal = "Only the person who asked (or a moderator) can stop this answer.", StoppedText = "⏹️ Stopped.";

    [Fact]
    public async Task StopButton_PressedByAnotherMember_IsRefused_AndTheAnswerCompletes()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var answer = string.Join(' ', Enumerable.Range(1, 30).Select(i => $"word{i}"));
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(answer));
        var (question, streaming) = await AskAsync(bot);

        AssertRefused(await ClickAsync(bot, streaming, Bob, Interactions.MemberPermissions));

        var reply = Assert.Single(await bot.AnsweredAsync(question));
        Assert.Equal(answer, reply.Content);
    }

    [Fact]
    public async Task StopButton_PressedByAnotherMember_LeavesTheButton_ThenAModeratorsPressStopsTheAnswer()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(LongAnswer());
        var (question, streaming) = await AskAsync(bot);

        AssertRefused(await ClickAsync(bot, streaming, Bob, Interactions.MemberPermissions));
        await GoesOnAsync(bot, streaming);
        Assert.True(streaming.HasStopButton);

        Assert.Equal(7, (await ClickAsync(bot, streaming, Carol, Interactions.ModeratorPermissions)).CallbackType);
        await StoppedAsync(bot, question);
    }

    [Fact]
    public async Task StopButton_InUserScope_IsRefusedToAnotherMember_AndStopsTheAnswerForTheAsker()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.ConversationScope = ConversationScope.User);
        bot.OpenAI.Enqueue(LongAnswer());
        var (question, streaming) = await AskAsync(bot);
        Assert.Contains(Alice, streaming.Components.ToJsonString(), StringComparison.Ordinal);

        AssertRefused(await ClickAsync(bot, streaming, Bob, Interactions.MemberPermissions));
        await GoesOnAsync(bot, streaming);

        Assert.Equal(7, (await ClickAsync(bot, streaming, Alice, Interactions.MemberPermissions)).CallbackType);
        await StoppedAsync(bot, question);
    }

    [Fact]
    public async Task StopCommand_FromAnotherMember_IsRefused_AndTheAnswerGoesOn_TheAskersStopsIt()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(LongAnswer());
        var (question, streaming) = await AskAsync(bot);

        var bobs = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel, c => c.From(Bob, Interactions.MemberPermissions));
        AssertRefused(await Interactions.RespondedAsync(bot, bobs));
        await GoesOnAsync(bot, streaming);

        var alices = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel, c => c.From(Alice, Interactions.MemberPermissions));
        Assert.Equal("Stopped.", (await Interactions.AnsweredAsync(bot, alices)).Content);
        await StoppedAsync(bot, question);
    }

    [Fact]
    public async Task StopCommand_FromAnAdministrator_StopsAnyonesAnswer()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(LongAnswer());
        var (question, _) = await AskAsync(bot);

        var stop = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel, c => c.From(Carol, "8"));
        Assert.Equal("Stopped.", (await Interactions.AnsweredAsync(bot, stop)).Content);
        await StoppedAsync(bot, question);
    }

    private static FakeResponse LongAnswer() =>
        FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400)));

    // Alice asks in the guild channel; returns her message and the bot's reply once it shows its Stop button.
    private static async Task<(JsonObject Question, FakeMessage Reply)> AskAsync(DiscordHarness bot)
    {
        var question = bot.Mention("tell me a story", authorId: Alice);
        await bot.SendAsync(question);
        await bot.WaitUntilAsync(() => bot.RepliesTo(question) is [{ HasStopButton: true }], "the streaming answer with its Stop button");
        return (question, bot.RepliesTo(question)[0]);
    }

    // A member clicks the reply's Stop button; returns the bot's response.
    private static async Task<FakeInteraction> ClickAsync(DiscordHarness bot, FakeMessage reply, string userId, string permissions)
    {
        var click = Interactions.StopClick(bot, reply).From(userId, permissions);
        await bot.Discord.SendInteractionAsync(click);
        return await Interactions.RespondedAsync(bot, click);
    }

    private static void AssertRefused(FakeInteraction response) =>
        Assert.Equal((4, true, Refusal), (response.CallbackType, response.Ephemeral, response.Content));

    // The click takes the button off at once (so the answer looks final to AnsweredAsync); the stopped text follows in an edit.
    private static async Task StoppedAsync(DiscordHarness bot, JsonObject question)
    {
        await bot.WaitUntilAsync(() => bot.RepliesTo(question) is [var reply] && reply.Content.EndsWith(StoppedText, StringComparison.Ordinal),
            "the stopped answer");
        Assert.True(bot.RepliesTo(question)[0].Content.Length < 400 * 5, "the answer was cut short");
    }

    // The answer is still being written after the refusal: its text keeps growing.
    private static async Task GoesOnAsync(DiscordHarness bot, FakeMessage reply)
    {
        var length = reply.Content.Length;
        await bot.WaitUntilAsync(() => reply.Content.Length > length && !reply.Content.EndsWith(StoppedText, StringComparison.Ordinal),
            "the answer to keep growing after the refused stop");
    }
}
