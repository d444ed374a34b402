using System.ClientModel;
using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>
/// The fake's remote MCP items, read back by the real SDK: a tool listing, calls with an output or an error, and an
/// approval request that a follow-up request answers (and that an unknown answer cannot).
/// </summary>
public sealed class FakeOpenAIMcpTests
{
    [Fact]
    public async Task ListToolsAndACall_ComeOutAsTheSdksMcpItems_WithOutputOrError()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().McpListTools("github", "search").McpCall("github", "search", "{\"q\":\"bug\"}", "3 issues")
            .McpCallFailed("github", "search", "{\"q\":\"crash\"}", 503, "Service Unavailable").Text("Found 3."));
        var options = FakeOpenAISdk.Turn(null, "issues?");
        options.Tools.Add(new McpTool("github", new Uri("https://mcp.example/github"))
        {
            ToolCallApprovalPolicy = new McpToolCallApprovalPolicy(DefaultMcpToolCallApprovalPolicy.NeverRequireApproval),
        });

        var updates = await sdk.StreamAsync(options);

        var done = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).ToList();
        var list = Assert.IsType<McpToolDefinitionListItem>(done[0]);
        Assert.Equal("github", list.ServerLabel);
        Assert.Equal("search", Assert.Single(list.ToolDefinitions).Name);
        var ok = Assert.IsType<McpToolCallItem>(done[1]);
        Assert.Equal(("github", "search", "{\"q\":\"bug\"}", "3 issues"), (ok.ServerLabel, ok.ToolName, ok.ToolArguments.ToString(), ok.ToolOutput));
        Assert.Null(ok.Error);
        var failed = Assert.IsType<McpToolCallItem>(done[2]);
        Assert.Contains("\"http_error\"", failed.Error!.ToString(), StringComparison.Ordinal);
        Assert.Single(updates.OfType<StreamingResponseMcpCallCompletedUpdate>());
        Assert.Single(updates.OfType<StreamingResponseMcpCallFailedUpdate>());
        Assert.Single(updates.OfType<StreamingResponseMcpListToolsCompletedUpdate>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ACallNeedingApproval_EndsTheResponseWithARequest_AndTheAnswerContinuesOrDeclines(bool approve)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var conversation = await sdk.NewConversationAsync();
        server.Enqueue(FakeResponse.Stream().Text("Let me file it.").McpCall("github", "create_issue", "{\"title\":\"Bug\"}", "Created #12").Text("Filed #12."));
        var first = FakeOpenAISdk.Turn(conversation, "file a bug");
        first.Tools.Add(new McpTool("github", new Uri("https://mcp.example/github"))); // require_approval left to its default, always

        var updates = await sdk.StreamAsync(first);

        var request = Assert.IsType<McpToolCallApprovalRequestItem>(updates.OfType<StreamingResponseOutputItemDoneUpdate>().Last().Item);
        Assert.Equal(("github", "create_issue"), (request.ServerLabel, request.ToolName));
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.DoesNotContain(updates.OfType<StreamingResponseOutputItemDoneUpdate>(), u => u.Item is McpToolCallItem);

        var next = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true, ConversationOptions = new(conversation) };
        next.Tools.Add(new McpTool("github", new Uri("https://mcp.example/github")));
        next.InputItems.Add(ResponseItem.CreateMcpApprovalResponseItem(request.Id, approve));
        var continued = await sdk.StreamAsync(next);

        var items = continued.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).ToList();
        if (approve)
        {
            Assert.Equal("Created #12", Assert.IsType<McpToolCallItem>(items[0]).ToolOutput);
            Assert.Equal("Filed #12.", Text(items[1]));
        }
        else
        {
            Assert.Equal(FakeResponse.DeniedText("github", "create_issue"), Text(Assert.Single(items)));
        }

        Assert.Equal(approve, Assert.Single(server.ResponseRequests[1].McpApprovalResponses).Approve);
    }

    [Fact]
    public async Task AnApprovalResponse_ToAnUnknownRequest_IsRejectedWith400()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var conversation = await sdk.NewConversationAsync();
        var options = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true, ConversationOptions = new(conversation) };
        options.InputItems.Add(ResponseItem.CreateMcpApprovalResponseItem("mcpr_unknown", true));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.StreamAsync(options));

        Assert.Equal(400, error.Status);
        Assert.Contains("mcpr_unknown", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.ResponseRequests);
    }

    private static string Text(ResponseItem item) =>
        Assert.Single(Assert.IsAssignableFrom<MessageResponseItem>(item).Content).Text;
}
