using System.Text.Json.Nodes;
using Bot.Core.Channels;
using Bot.Core.Tools.Approvals;
using Bot.Discord.Adapter;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>
/// Approval questions in Discord: the writer posts the question with Approve and Deny, a click goes through the access
/// policy to the core's broker, and only the asker (or a moderator) decides it, once, before it expires.
/// </summary>
public sealed class ApprovalButtonTests
{
    private const string Alice = "1033044521375764530", Bob = "1200000000000000002", Carol = "1200000000000000003";
    private const string Hostile = "{\"body\":\"```\\n@everyone <@1200000000000000002> **bold** ``` done\"}";

    [Fact]
    public async Task Question_IsAReplyToTheAsker_WithApproveAndDenyButtons_EscapedArguments_AndNoPings()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (writer, asked) = Writer(bot);
        var prompt = Broker(bot).Open(new ApprovalQuestion("git*hub", "create_issue", Hostile), Alice, TimeSpan.FromMinutes(5));

        Assert.True(writer.CanAskApproval);
        await writer.AskApprovalAsync(prompt);

        var question = Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel));
        Assert.Equal(asked, question.ReplyTo);
        Assert.Equal(4, question.Flags); // SUPPRESS_EMBEDS, as everything the bot sends
        Assert.Equal("""{"parse":[],"replied_user":false}""", question.AllowedMentions!.ToJsonString());
        Assert.StartsWith(@"**Allow git\*hub to run create\_issue?**", question.Content, StringComparison.Ordinal);
        // The arguments' own fences cannot close the code block: the only fences are the block's two.
        Assert.Equal(2, Occurrences(question.Content, "```"));
        Assert.Contains("@everyone", question.Content, StringComparison.Ordinal);
        Assert.EndsWith("\n```", question.Content, StringComparison.Ordinal);

        var row = Assert.Single(question.Components);
        Assert.Equal(1, row!["type"]!.GetValue<int>());
        var buttons = row["components"]!.AsArray().Select(b => (
            b!["type"]!.GetValue<int>(), b["style"]!.GetValue<int>(), b["label"]!.GetValue<string>(), b["custom_id"]!.GetValue<string>())).ToList();
        Assert.Equal([(2, 3, "Approve", $"apv:{prompt.Id}:y"), (2, 4, "Deny", $"apv:{prompt.Id}:n")], buttons);
    }

    [Fact]
    public async Task Question_WithHugeArguments_FitsOneMessage_AlsoWithItsOutcome()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (writer, _) = Writer(bot);
        var prompt = Broker(bot).Open(new ApprovalQuestion("github", "create_issue", $"{{\"body\":\"{new string('`', 3000)}\"}}"), Alice, TimeSpan.Zero);

        await writer.AskApprovalAsync(prompt);
        await writer.SettleApprovalAsync(prompt, await Broker(bot).WaitAsync(prompt));

        var question = Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel));
        Assert.InRange(question.Content.Length, 1500, 2000);
        Assert.EndsWith("…\n```\nNo answer in time: denied.", question.Content, StringComparison.Ordinal);
        Assert.Equal(2, Occurrences(question.Content, "```"));
    }

    [Fact]
    public async Task ClickByTheAsker_DecidesTheQuestion_AndTheMessageShowsTheOutcomeWithoutButtons()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (writer, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);

        var response = await ClickAsync(bot, question, approve: true, Alice, Interactions.MemberPermissions);

        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
        Assert.Equal(7, response.CallbackType);
        Assert.Empty(question.Components);
        Assert.EndsWith("\n```\nApproved.", question.Content, StringComparison.Ordinal);
        Assert.Equal("""{"parse":[],"replied_user":false}""", question.AllowedMentions!.ToJsonString());

        // The click updated the message already: settling the decided question writes nothing more.
        var edits = EditsOf(bot, question);
        await writer.SettleApprovalAsync(prompt, ApprovalDecision.Approved);
        Assert.Equal(edits, EditsOf(bot, question));
    }

    [Fact]
    public async Task ClickByAnotherMember_IsRefusedPrivately_AndLeavesTheQuestionOpen_ForTheAsker()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (_, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);

        AssertRefused(await ClickAsync(bot, question, approve: true, Bob, Interactions.MemberPermissions), ApprovalAnswerResult.NotYours);
        Assert.False(decision.IsCompleted);
        Assert.Equal(2, question.Components[0]!["components"]!.AsArray().Count);

        Assert.Equal(7, (await ClickAsync(bot, question, approve: false, Alice, Interactions.MemberPermissions)).CallbackType);
        Assert.Equal(ApprovalDecision.Denied, await Decided(decision));
    }

    [Fact]
    public async Task ClickByAModerator_DecidesSomeoneElsesQuestion()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (_, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);

        Assert.Equal(7, (await ClickAsync(bot, question, approve: false, Carol, Interactions.ModeratorPermissions)).CallbackType);

        Assert.Equal(ApprovalDecision.Denied, await Decided(decision));
        Assert.EndsWith("\nDenied.", question.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondClick_IsRefusedAsAlreadyAnswered_AndTheFirstAnswerStands()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (_, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);
        var customId = $"apv:{prompt.Id}:n";

        await ClickAsync(bot, question, approve: true, Alice, Interactions.MemberPermissions);
        AssertRefused(await ClickAsync(bot, question, customId, Alice, Interactions.MemberPermissions), ApprovalAnswerResult.AlreadyAnswered);

        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
        Assert.EndsWith("\nApproved.", question.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTheTimeout_TheMessageShowsTheOutcome_AndAClickIsRefusedAsExpired()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (writer, _) = Writer(bot);
        var prompt = Broker(bot).Open(new ApprovalQuestion("github", "delete_repo", "{}"), Alice, TimeSpan.Zero);
        await writer.AskApprovalAsync(prompt);
        var question = Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel));
        var customId = $"apv:{prompt.Id}:y";

        var decision = await Broker(bot).WaitAsync(prompt);
        await writer.SettleApprovalAsync(prompt, decision);

        Assert.Equal(ApprovalDecision.TimedOut, decision);
        Assert.Empty(question.Components);
        Assert.EndsWith("\nNo answer in time: denied.", question.Content, StringComparison.Ordinal);
        AssertRefused(await ClickAsync(bot, question, customId, Alice, Interactions.MemberPermissions), ApprovalAnswerResult.Expired);
    }

    [Theory]
    [InlineData("apv:")]
    [InlineData("apv:abc")]
    [InlineData("apv:abc:maybe")]
    [InlineData("apv::y")]
    public async Task MalformedButton_GetsTheExpiredSentence_AndTheHandlerKeepsWorking(string customId)
    {
        await using var bot = await DiscordHarness.StartAsync();
        var (_, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);

        AssertRefused(await ClickAsync(bot, question, customId, Alice, Interactions.MemberPermissions), ApprovalAnswerResult.Expired);

        Assert.Equal(7, (await ClickAsync(bot, question, approve: true, Alice, Interactions.MemberPermissions)).CallbackType);
        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
    }

    [Fact]
    public async Task ClickFromAUserTheAllowListsRefuse_IsRefusedLikeAnyInteraction_AndDecidesNothing()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.AllowedUserIds.Add(Bob));
        var (_, prompt, question) = await AskAsync(bot);
        var decision = Broker(bot).WaitAsync(prompt);

        var response = await ClickAsync(bot, question, approve: true, Alice, Interactions.MemberPermissions);

        Assert.Equal((4, true, AccessPolicy.Refusal(Access.UserNotAllowed)), (response.CallbackType, response.Ephemeral, response.Content));
        Assert.False(decision.IsCompleted);
    }

    private static ApprovalBroker Broker(DiscordHarness bot) => bot.Services.GetRequiredService<ApprovalBroker>();

    // A reply writer as the core gets it for Alice's message in the guild channel; returns it and the message it answers.
    private static (IReplyWriter Writer, string AskedMessage) Writer(DiscordHarness bot)
    {
        var asked = bot.NextMessageId();
        var address = new ReplyAddress(DiscordHarness.GuildChannel, asked, DiscordHarness.GuildChannel, Alice);
        return (bot.Services.GetRequiredService<DiscordChannel>().CreateReplyWriter(address.ToString()), asked);
    }

    private static async Task<(IReplyWriter Writer, ApprovalPrompt Prompt, FakeMessage Question)> AskAsync(DiscordHarness bot)
    {
        var (writer, _) = Writer(bot);
        var prompt = Broker(bot).Open(new ApprovalQuestion("github", "create_issue", """{"title":"Bug"}"""), Alice, TimeSpan.FromMinutes(5));
        await writer.AskApprovalAsync(prompt);
        return (writer, prompt, Assert.Single(bot.Discord.MessagesIn(DiscordHarness.GuildChannel)));
    }

    private static Task<FakeInteraction> ClickAsync(DiscordHarness bot, FakeMessage question, bool approve, string userId, string permissions) =>
        ClickAsync(bot, question, question.Components[0]!["components"]![approve ? 0 : 1]!["custom_id"]!.GetValue<string>(), userId, permissions);

    // The recorded button click, on the question's message with this custom_id, by this member.
    private static async Task<FakeInteraction> ClickAsync(DiscordHarness bot, FakeMessage question, string customId, string userId, string permissions)
    {
        var click = Interactions.ButtonClick(bot, question, customId).From(userId, permissions);
        await bot.Discord.SendInteractionAsync(click);
        return await Interactions.RespondedAsync(bot, click);
    }

    private static void AssertRefused(FakeInteraction response, ApprovalAnswerResult result) =>
        Assert.Equal((4, true, ApprovalTexts.AnswerReply(result)), (response.CallbackType, response.Ephemeral, response.Content));

    private static int EditsOf(DiscordHarness bot, FakeMessage message) =>
        bot.Discord.Requests.Count(r => r.Method == "PATCH" && r.Path.EndsWith("/" + message.Id, StringComparison.Ordinal));

    // The click was handled before its response came back, so the decision is there; a missing one fails the test, not hangs it.
    private static Task<ApprovalDecision> Decided(Task<ApprovalDecision> decision) => decision.WaitAsync(TimeSpan.FromSeconds(30));

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
