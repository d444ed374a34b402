using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// The usage each backend reports, cached input tokens included: from the recorded api.openai.com streams (which carry
/// <c>input_tokens_details.cached_tokens</c> and, for runs, <c>prompt_token_details.cached_tokens</c>), and from the fake
/// reporting a cache hit.
/// </summary>
public sealed class CachedUsageScenarios
{
    [Theory]
    [InlineData(ApiKinds.Responses, "responses_stream_text.sse", 11, 10)]
    [InlineData(ApiKinds.Assistants, "assistants_run_stream_text.sse", 38, 35)]
    public async Task RecordedStreams_ReportTheirUsage_WithTheCachedTokensTheyCarry(string api, string fixture, long input, long output)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI(fixture)));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Say hello"));

        Assert.Equal(new TokenUsage(input, output, CachedInputTokens: 0), Assert.Single(bot.Backend.ReportedUsage));
    }

    [Theory]
    [InlineData(ApiKinds.Responses)]
    [InlineData(ApiKinds.Assistants)]
    public async Task ACacheHit_IsReportedAsCachedInputTokens(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hello.").Usage(2048, 12, cachedInputTokens: 1920));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        Assert.Equal(new TokenUsage(2048, 12, 1920), Assert.Single(bot.Backend.ReportedUsage));
        Assert.Equal(2048, (await bot.Core.Store.GetTurnAsync(1))!.Usage.InputTokens);
    }
}
