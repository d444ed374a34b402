using Bot.Core.Storage;
using Bot.OpenAI.Responses;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// Conversations that never hit the context wall (issue 12, point 1): every request asks for server-side compaction,
/// an endpoint without it gets truncation instead, and a conversation that still does not fit says so once and
/// offers /reset.
/// </summary>
public sealed class LongConversationTests
{
    private const string TooLong = "⚠️ This conversation has grown too long for the assistant to go on; send /reset to start a fresh one.";
    private const int CompactionUnsupportedEvent = 2017;

    [Fact]
    public async Task EveryRequest_AsksForCompactionAtTheConfiguredThreshold_FunctionRoundsToo()
    {
        var lookup = new DelegateFunctionTool("lookup", (_, _) => Task.FromResult("{}"));
        await using var bot = await ResponsesHarness.StartAsync([lookup], o => o.CompactThreshold = 50_000);
        bot.Server.Enqueue(FakeResponse.Stream().FunctionCall("lookup", "{}"), FakeResponse.Stream().Text("Found it."), FakeResponse.Stream().Text("Again."));

        await bot.AskAsync("c1", "find it");
        await bot.AskAsync("c1", "and again");

        Assert.Equal(3, bot.Server.ResponseRequests.Count);
        Assert.All(bot.Server.ResponseRequests, r => Assert.Equal((true, 50_000, (string?)null), (r.HasContextManagement, r.CompactThreshold, r.Truncation)));
        Assert.Contains("\"context_management\":[{\"type\":\"compaction\",\"compact_threshold\":50000}]", bot.Server.ResponseRequests[0].Json,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutConfiguration_TheDefaultThresholdIsSent()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hi."));

        await bot.AskAsync("c1", "hi");

        Assert.Equal(OpenAIOptions.DefaultCompactThreshold, bot.Server.ResponseRequests.Single().CompactThreshold);
    }

    [Fact]
    public async Task ThresholdZero_SendsNoContextManagement_AndNoTruncation()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.CompactThreshold = 0);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hi."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        var request = bot.Server.ResponseRequests.Single();
        Assert.False(request.HasContextManagement);
        Assert.Null(request.Truncation);
        Assert.DoesNotContain("context_management", request.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndpointWithoutCompaction_TheRequestIsRetriedWithTruncationAuto_LaterOnesGoStraightToIt_LoggedOnce()
    {
        var logger = new ListLogger<ResponsesBackend>();
        await using var bot = await ResponsesHarness.StartAsync(logger: logger);
        bot.Server.RejectContextManagement = true;
        bot.Server.Enqueue(FakeResponse.Stream().Text("First."), FakeResponse.Stream().Text("Second."), FakeResponse.Stream().Text("Third."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "one"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c2", "three"));

        Assert.Equal(["First.", "Second.", "Third."], bot.Channel.Replies.Select(r => r.Text));
        Assert.Equal(1, bot.Server.ContextManagementRejections);
        Assert.Equal(4, bot.Server.RequestLog.Count(r => r == "POST /v1/responses"));
        Assert.All(bot.Server.ResponseRequests, r => Assert.Equal((false, "auto"), (r.HasContextManagement, r.Truncation)));
        Assert.Equal(1, logger.Count(CompactionUnsupportedEvent));
    }

    [Fact]
    public async Task CompactionItemInTheStream_IsNotShown()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Stream().Compaction().Text("Still with you."), FakeResponse.Stream().Text("And still."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "a long chat"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "more"));

        Assert.Equal(["Still with you.", "And still."], bot.Channel.Replies.Select(r => r.Text));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    public void CompactThreshold_IsZeroOrAtLeastTheServicesMinimum(int threshold, bool valid)
    {
        var result = new OpenAIOptionsValidator().Validate(null, new OpenAIOptions { ApiKey = "sk-test", CompactThreshold = threshold });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
            Assert.Contains(result.Failures!, f => f.StartsWith("OpenAI:CompactThreshold:", StringComparison.Ordinal));
    }

    public static TheoryData<string> ContextLengthFailures => ["http", "error event"];

    [Theory]
    [MemberData(nameof(ContextLengthFailures))]
    public async Task ContextLengthExceeded_SaysSoInOneSentenceOfferingReset_AndTheConversationGoesOn(string how)
    {
        await using var bot = await ResponsesHarness.StartAsync();
        const string message = "Your input exceeds the context window of this model. Please adjust your input and try again.";
        bot.Server.Enqueue(
            how == "http" ? FakeResponse.HttpError(400, message, "context_length_exceeded") : FakeResponse.Stream().ErrorEvent("context_length_exceeded", message),
            FakeResponse.Stream().Text("Back again."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "one more thing"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello?"));

        Assert.Equal(TooLong, bot.Channel.Replies[0].Text);
        Assert.Equal("Back again.", bot.Channel.Replies[1].Text);
    }
}
