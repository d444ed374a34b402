using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>OpenAI's wording stays in the backends (issue 11, point 3): incomplete reasons and sandbox links.</summary>
public sealed class OutputTextTests
{
    [Theory]
    [InlineData("max_output_tokens", IncompleteReason.LengthLimit)]
    [InlineData("max_completion_tokens", IncompleteReason.LengthLimit)]
    [InlineData("max_prompt_tokens", IncompleteReason.LengthLimit)]
    [InlineData("content_filter", IncompleteReason.ContentFilter)]
    [InlineData("run_cancelled", IncompleteReason.Other)]
    [InlineData(null, IncompleteReason.Other)]
    public void IncompleteReasons_BecomeTheCoresEnum(string? reason, IncompleteReason expected) =>
        Assert.Equal(expected, OutputText.ReasonOf(reason));

    [Fact]
    public void SandboxLinks_KeepTheirLabel_AndPositionsAfterThemMove()
    {
        const string text = "See [the chart](sandbox:/mnt/data/chart.png) and [data](sandbox:/mnt/data/d.csv), from notes.";

        var rewrite = OutputText.WithoutSandboxLinks(text);

        Assert.Equal("See the chart (attached) and data (attached), from notes.", rewrite.Text);
        Assert.Equal(3, rewrite.Map(3));                                                 // before the first link
        Assert.Equal("See the chart (attached)".Length, rewrite.Map(10));                // inside it: to its end
        Assert.Equal(rewrite.Text.Length - 1, rewrite.Map(text.Length - 1));             // the final period
        Assert.Equal(rewrite.Text.IndexOf(" from", StringComparison.Ordinal), rewrite.Map(text.IndexOf(" from", StringComparison.Ordinal)));
    }

    [Fact]
    public void TextWithoutSandboxLinks_IsLeftAsItIs()
    {
        const string text = "A [normal](https://example.com) link and [1] Smith, 2020.";
        var rewrite = OutputText.WithoutSandboxLinks(text);
        Assert.Same(text, rewrite.Text);
        Assert.Equal(17, rewrite.Map(17));
    }

    [Theory]
    [MemberData(nameof(BackendTurnScenarios.Backends), MemberType = typeof(BackendTurnScenarios))]
    public async Task ContentFilter_IsMappedByTheBackend_AndTheUserIsToldWhy(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Part of it").Incomplete("content_filter"));

        Assert.Equal(TurnStatus.Incomplete, await bot.AskAsync("c1", "hi"));

        Assert.Equal("Part of it\n\n⚠️ The answer stopped early: the content filter ended it.", bot.Channel.Replies[0].Text);
        Assert.Equal(Bot.Core.Replies.ReplyEndingKind.Incomplete, bot.Channel.Replies[0].Final!.Ending!.Kind);
        Assert.Equal(IncompleteReason.ContentFilter, bot.Channel.Replies[0].Final!.Ending!.Reason);
    }

    [Theory]
    [MemberData(nameof(BackendTurnScenarios.Backends), MemberType = typeof(BackendTurnScenarios))]
    public async Task SandboxLinks_AreRewrittenByTheBackend_BeforeTheCoreSeesTheText(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("chart.png", [1, 2, 3]).Text("Here is the [chart](sandbox:/mnt/data/chart.png)."));

        await bot.AskAsync("c1", "plot");

        var final = bot.Channel.Replies[0].Final!;
        Assert.Equal("Here is the chart (attached).", final.Parts[^1].Text);
    }
}
