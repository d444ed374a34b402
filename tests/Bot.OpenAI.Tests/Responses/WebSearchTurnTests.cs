using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// Web search (issue 12, point 2): the tool only when configured, its status while it runs, cited pages as numbered
/// sources with their titles and addresses, and a failed search said in one sentence while the answer still arrives.
/// </summary>
public sealed class WebSearchTurnTests
{
    private const string Answer = "Paris is sunny today ([Météo](https://meteo.example/paris)), Oslo is cold ([yr](https://yr.example/oslo)).";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheWebSearchTool_IsSentOnlyWhenEnabled(bool enabled)
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.WebSearch = enabled);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hi."));

        await bot.AskAsync("c1", "hi");

        var request = bot.Server.ResponseRequests.Single();
        Assert.Equal(enabled, request.HasWebSearch);
        Assert.Equal(enabled, request.Json.Contains("\"type\":\"web_search\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebSearch_ShowsItsStatus_AndCitedPagesBecomeNumberedSourcesWithTitleAndUrl()
    {
        var channel = new RecordingChannel(limits: new(2000, TimeSpan.Zero, 8 * 1024 * 1024));
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.WebSearch = true, channel: channel);
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream, so the status is visible
        var paris = Span("([Météo](https://meteo.example/paris))");
        var oslo = Span("([yr](https://yr.example/oslo))");
        bot.Server.Enqueue(FakeResponse.Stream().WebSearch("weather Paris Oslo today").Text(Answer,
            FakeCitation.Url("https://meteo.example/paris", "Météo Paris", paris.Start, paris.End),
            FakeCitation.Url("https://yr.example/oslo", "yr.no: Oslo", oslo.Start, oslo.End),
            FakeCitation.Url("https://meteo.example/paris", "Météo Paris", oslo.End - 1, oslo.End)));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "weather in Paris and Oslo?"));

        var reply = bot.Channel.Replies.Single();
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Searching the web…_", StringComparison.Ordinal));
        var expected = Answer.Insert(oslo.End, "[1][2]").Insert(paris.End, "[1]")
            + "\n\n[1] Météo Paris <https://meteo.example/paris>\n[2] yr.no: Oslo <https://yr.example/oslo>";
        Assert.Equal(expected, reply.Text);
    }

    [Fact]
    public async Task FailedWebSearch_TheTextStillArrives_WithOneSentenceSayingTheSearchFailed()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.WebSearch = true);
        bot.Server.Enqueue(FakeResponse.Stream().WebSearch("weather Paris", failed: true).Text("From what I know, Paris is mild in spring."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "weather in Paris?"));

        Assert.Equal("⚠️ The web search failed, so this answer does not draw on it.\n\nFrom what I know, Paris is mild in spring.",
            bot.Channel.Replies.Single().Text);
    }

    private static (int Start, int End) Span(string cited)
    {
        var start = Answer.IndexOf(cited, StringComparison.Ordinal);
        return (start, start + cited.Length);
    }
}
