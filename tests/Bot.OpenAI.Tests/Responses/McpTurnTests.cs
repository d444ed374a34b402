using Bot.Core.Storage;
using Bot.Core.Tools.Approvals;
using Bot.Testing;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// Remote MCP servers (issue 12, point 4) through the real Responses backend and SDK against the fake: the tools each
/// request carries, the status while a call runs, a server that is down, and approvals that continue the same turn.
/// </summary>
public sealed class McpTurnTests
{
    private const string Label = "github";
    private const string Arguments = "{\"title\":\"Crash on start\"}";

    [Fact]
    public async Task EveryRequest_CarriesTheConfiguredServers_WithHeadersFromTheEnvironment_AndNoHeaderValueIsLogged()
    {
        var variable = $"BOT_TEST_MCP_TOKEN_{Guid.NewGuid():N}";
        var secret = $"s3cret-{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var log = new ListLogger<McpTurnTests>();
            using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider<McpTurnTests>(log)));
            await using var bot = await ResponsesHarness.StartAsync(loggers: loggers, configure: o => o.Mcp.Servers =
            [
                new() { Label = Label, Url = "https://mcp.example/github", Headers = { ["Authorization"] = $"Bearer ${{env:{variable}}}" },
                    AllowedTools = ["search", "create_issue"], RequireApproval = "never" },
                new() { Label = "docs", Url = "https://docs.example/mcp" },
            ]);
            bot.Server.Enqueue(FakeResponse.Stream().McpCall(Label, "search", "{}", "nothing").Text("Nothing found."));

            Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "search"));
            await bot.AskAsync("c1", "again");

            Assert.All(bot.Server.ResponseRequests, request =>
            {
                Assert.Equal([Label, "docs"], request.McpTools.Select(t => t.ServerLabel));
                var github = request.McpTools[0];
                Assert.Equal("https://mcp.example/github", github.ServerUrl);
                Assert.Equal($"Bearer {secret}", github.Headers["Authorization"]);
                Assert.Equal(["search", "create_issue"], github.AllowedTools);
                Assert.Equal("never", github.RequireApproval);
                Assert.Equal("always", request.McpTools[1].RequireApproval); // the safer default
                Assert.Null(request.McpTools[1].AllowedTools);
            });
            Assert.NotEmpty(log.Entries);
            Assert.DoesNotContain(log.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task ACall_ShowsUsingTheServer_WhileItRuns_AndTheToolListingIsNotShown()
    {
        await using var bot = await StartAsync("never");
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream, so the status is visible
        bot.Server.Enqueue(FakeResponse.Stream().McpListTools(Label, "search").McpCall(Label, "search", "{\"q\":\"crash\"}", "2 issues")
            .Text("There are 2 open crash issues."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "any crash issues?"));

        var reply = bot.Channel.Replies.Single();
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Using github…_", StringComparison.Ordinal));
        Assert.Equal("There are 2 open crash issues.", reply.Text);
        Assert.DoesNotContain(reply.Writes, w => w.Text.Contains("search", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AServerThatIsDown_TheAnswerSaysSo_TheTurnEnds_AndTheNextMessageIsAnswered()
    {
        await using var bot = await StartAsync("never");
        bot.Server.Enqueue(FakeResponse.Stream().McpCallFailed(Label, "search", "{}", 502, "Bad Gateway")
            .Text("The github server is not answering, so I cannot search it right now."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "search github"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "thanks"));

        // The model said it; the reply adds no sentence of its own.
        Assert.Equal("The github server is not answering, so I cannot search it right now.", bot.Channel.Replies[0].Text);
        Assert.Equal("You said: thanks", bot.Channel.Replies[1].Text);
    }

    [Fact]
    public async Task AServerThatIsDown_AndAModelThatSaysNothing_GetsOneSentence()
    {
        await using var bot = await StartAsync("never");
        bot.Server.Enqueue(FakeResponse.Stream().McpCallFailed(Label, "search", "{}"));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "search github"));

        Assert.Equal("⚠️ A remote tool failed, so there is no answer from it.", bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task Approved_TheCallRuns_AndTheAnswerContinuesInTheSameReply()
    {
        await using var bot = await StartAsync("always");
        bot.Server.Enqueue(FakeResponse.Stream().Text("I will file it.").McpCall(Label, "create_issue", Arguments, "Created #12").Text("Filed as #12."));

        var turn = bot.AskAsync("c1", "file a bug: crash on start");
        var prompt = await bot.Channel.QuestionAsync();
        Assert.Equal(new ApprovalQuestion(Label, "create_issue", Arguments), prompt.Question);
        Assert.Equal(ApprovalAnswerResult.Accepted, bot.Core.Approvals.Answer(prompt.Id, "ada", mayAnswerForOthers: false, approve: true));

        Assert.Equal(TurnStatus.Completed, await turn);
        var followUp = bot.Server.ResponseRequests[1];
        Assert.Equal(bot.Server.ResponseRequests[0].ConversationId, followUp.ConversationId);
        Assert.True(Assert.Single(followUp.McpApprovalResponses).Approve);
        Assert.Equal("I will file it.\n\nFiled as #12.", Assert.Single(bot.Channel.Replies).Text);
        Assert.Equal(ApprovalDecision.Approved, Assert.Single(bot.Channel.Settled).Decision);
    }

    [Fact]
    public async Task Denied_ApproveFalseIsSent_AndTheModelSaysItCouldNotRunIt()
    {
        await using var bot = await StartAsync("always");
        bot.Server.Enqueue(FakeResponse.Stream().McpCall(Label, "create_issue", Arguments, "Created #12").Text("Filed as #12."));

        var turn = bot.AskAsync("c1", "file a bug");
        var prompt = await bot.Channel.QuestionAsync();
        bot.Core.Approvals.Answer(prompt.Id, "ada", false, approve: false);

        Assert.Equal(TurnStatus.Completed, await turn);
        Assert.False(Assert.Single(bot.Server.ResponseRequests[1].McpApprovalResponses).Approve);
        Assert.Equal(FakeResponse.DeniedText(Label, "create_issue"), bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task OnAChannelThatCannotAsk_TheCallIsDeniedAtOnce()
    {
        var channel = new RecordingChannel { CanAskApproval = false };
        await using var bot = await StartAsync("always", channel);
        bot.Server.Enqueue(FakeResponse.Stream().McpCall(Label, "create_issue", Arguments, "Created #12"));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "file a bug"));

        Assert.Empty(channel.Questions);
        Assert.False(Assert.Single(bot.Server.ResponseRequests[1].McpApprovalResponses).Approve);
        Assert.Equal(FakeResponse.DeniedText(Label, "create_issue"), channel.Replies.Single().Text);
    }

    private static Task<ResponsesHarness> StartAsync(string requireApproval, RecordingChannel? channel = null) =>
        ResponsesHarness.StartAsync(channel: channel, configure: o => o.Mcp.Servers =
            [new() { Label = Label, Url = "https://mcp.example/github", RequireApproval = requireApproval }]);
}
