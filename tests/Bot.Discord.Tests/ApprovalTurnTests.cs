using System.Text.Json.Nodes;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>
/// A remote MCP call that needs approval, end to end in Discord: the real Responses backend meets the fake's
/// mcp_approval_request, the core asks through the Discord reply writer, the asker clicks, and the same answer goes on.
/// </summary>
public sealed class ApprovalTurnTests
{
    private static readonly Dictionary<string, string?> Mcp = new()
    {
        ["OpenAI:Mcp:Servers:0:Label"] = "github",
        ["OpenAI:Mcp:Servers:0:Url"] = "https://mcp.example/github",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AToolCallNeedingApproval_IsAskedInTheChannel_AndTheAskersClickDecidesHowTheSameAnswerGoesOn(bool approve)
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Mcp);
        bot.OpenAI.Enqueue(FakeResponse.Stream().McpCall("github", "create_issue", """{"title":"Crash on start"}""", "issue #7").Text("Opened issue #7."));
        var mention = bot.Mention("open an issue about the crash");
        await bot.SendAsync(mention);

        await bot.WaitUntilAsync(() => Question(bot, mention) is not null, "the approval question with its buttons");
        var question = Question(bot, mention)!;
        Assert.StartsWith("**Allow github to run create\\_issue?**", question.Content, StringComparison.Ordinal);
        Assert.Contains("Crash on start", question.Content, StringComparison.Ordinal);

        var asker = mention["author"]!["id"]!.GetValue<string>();
        var custom = question.Components[0]!["components"]![approve ? 0 : 1]!["custom_id"]!.GetValue<string>();
        var click = Interactions.ButtonClick(bot, question, custom).From(asker, Interactions.MemberPermissions);
        await bot.Discord.SendInteractionAsync(click);
        await bot.WaitUntilAsync(() => Answer(bot, mention) is { HasStopButton: false }, "the final answer");
        var answer = Answer(bot, mention)!;

        // One answer, continued in the same message after the decision; the question shows its outcome, no buttons.
        var sent = Assert.Single(bot.OpenAI.ResponseRequests.SelectMany(r => r.McpApprovalResponses));
        Assert.Equal(approve, sent.Approve);
        Assert.Equal(approve ? "Opened issue #7." : FakeResponse.DeniedText("github", "create_issue"), answer.Content);
        Assert.Empty(question.Components);
        Assert.EndsWith(approve ? "Approved." : "Denied.", question.Content, StringComparison.Ordinal);
        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
    }

    // The bot's message that replies to the mention and carries Approve / Deny.
    private static FakeMessage? Question(DiscordHarness bot, JsonObject mention) => RepliesTo(bot, mention).FirstOrDefault(IsQuestion);

    // The bot's answer: the other message that replies to the mention.
    private static FakeMessage? Answer(DiscordHarness bot, JsonObject mention) => RepliesTo(bot, mention).FirstOrDefault(m => !IsQuestion(m));

    private static bool IsQuestion(FakeMessage message) => message.Content.StartsWith("**Allow", StringComparison.Ordinal);

    private static IEnumerable<FakeMessage> RepliesTo(DiscordHarness bot, JsonObject mention) =>
        bot.Discord.MessagesIn(mention["channel_id"]!.GetValue<string>()).Where(m => m.ReplyTo == mention["id"]!.GetValue<string>());
}
