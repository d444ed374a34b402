using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using Bot.Testing.OpenAI;
using OpenAI;
using OpenAI.Assistants;
using OpenAI.Files;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>The fake's Assistants v2 endpoints, driven by the real SDK's AssistantClient.</summary>
public sealed class FakeOpenAIAssistantsTests
{
    [Fact]
    public async Task TextRun_StreamsTheEventsInTheServicesOrder_AndEndsTheStream()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        server.Enqueue(FakeResponse.Stream().Text("Hello there"));
        await client.CreateMessageAsync(threadId, MessageRole.User, ["hi"]);

        var kinds = new List<StreamingUpdateReason>();
        var text = "";
        await using (var stream = await client.CreateRunStreamingAsync(threadId, assistantId))
        {
            await foreach (var update in stream)
            {
                kinds.Add(update.UpdateKind);
                text += (update as MessageContentUpdate)?.Text;
            }
        }

        Assert.Equal("Hello there", text);
        Assert.Equal(
            [StreamingUpdateReason.RunCreated, StreamingUpdateReason.RunQueued, StreamingUpdateReason.RunInProgress, StreamingUpdateReason.RunStepCreated,
             StreamingUpdateReason.RunStepInProgress, StreamingUpdateReason.MessageCreated, StreamingUpdateReason.MessageInProgress],
            kinds.Take(7));
        Assert.Equal([StreamingUpdateReason.MessageCompleted, StreamingUpdateReason.RunStepCompleted, StreamingUpdateReason.RunCompleted], kinds.TakeLast(3));
        Assert.Equal("hi", server.RunRequests.Single().UserText);
        var messages = new List<ThreadMessage>();
        await foreach (var message in client.GetMessagesAsync(threadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Ascending }))
            messages.Add(message);
        Assert.Equal(["hi", "Hello there"], messages.Select(m => m.Content[0].Text));
    }

    [Fact]
    public async Task MessageOrRunDuringAnActiveRun_Is400_WithTheServicesWording()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        server.Enqueue(FakeResponse.Stream().FunctionCall("lookup", "{}", "call_1"));
        await client.CreateMessageAsync(threadId, MessageRole.User, ["look it up"]);
        string runId;
        await using (var stream = await client.CreateRunStreamingAsync(threadId, assistantId))
        {
            var updates = new List<StreamingUpdate>();
            await foreach (var update in stream)
                updates.Add(update);
            runId = updates.OfType<RequiredActionUpdate>().Single().Value.Id;
        }

        var message = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateMessageAsync(threadId, MessageRole.User, ["more"]));
        var run = await Assert.ThrowsAsync<ClientResultException>(() => client.CreateRunAsync(threadId, assistantId));

        Assert.Equal(400, message.Status);
        Assert.EndsWith($"Can't add messages to {threadId} while a run {runId} is active.", message.Message, StringComparison.Ordinal);
        Assert.Equal(400, run.Status);
        Assert.EndsWith($"Thread {threadId} already has an active run {runId}.", run.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.RunActiveErrors);
    }

    [Fact]
    public async Task SubmittedOutputs_ContinueTheSameRun_AndAMissingOutputIsRefused()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        server.Enqueue(FakeResponse.Stream().FunctionCall("a", "{}", "call_a").FunctionCall("b", "{}", "call_b"), FakeResponse.Stream().Text("Both done."));
        await client.CreateMessageAsync(threadId, MessageRole.User, ["go"]);
        List<RequiredActionUpdate> actions = [];
        await using (var stream = await client.CreateRunStreamingAsync(threadId, assistantId))
        {
            await foreach (var update in stream)
            {
                if (update is RequiredActionUpdate action)
                    actions.Add(action);
            }
        }

        var runId = actions[0].Value.Id;
        var partial = await Assert.ThrowsAsync<ClientResultException>(() => client.SubmitToolOutputsToRunAsync(threadId, runId, [new ToolOutput("call_a", "1")]));
        var text = "";
        ThreadRun? final = null;
        await using (var stream = await client.SubmitToolOutputsToRunStreamingAsync(threadId, runId, [new ToolOutput("call_a", "1"), new ToolOutput("call_b", "2")]))
        {
            await foreach (var update in stream)
            {
                text += (update as MessageContentUpdate)?.Text;
                if (update is RunUpdate { UpdateKind: StreamingUpdateReason.RunCompleted } done)
                    final = done.Value;
            }
        }

        Assert.Equal(["call_a", "call_b"], actions.Select(a => a.ToolCallId));
        Assert.Equal(400, partial.Status);
        Assert.Equal("Both done.", text);
        Assert.Equal(runId, final?.Id);
        Assert.Equal("2", server.RunRequests[1].FunctionCallOutputs["call_b"]);
        var steps = new List<RunStep>();
        await foreach (var step in client.GetRunStepsAsync(threadId, runId))
            steps.Add(step);
        Assert.Equal(3, steps.Count);
        Assert.All(steps, s => Assert.Equal(RunStepStatus.Completed, s.Status));
        Assert.Equal(["a", "b"], steps.Where(s => s.Kind == RunStepKind.ToolCall).Select(s => s.Details.ToolCalls[0].FunctionName).Order());
    }

    [Fact]
    public async Task Cancel_TakesTheRunThroughCancellingToCancelled_AndFreesTheThread()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        var runId = server.LeaveActiveRun(threadId);

        ThreadRun cancelling = await client.CancelRunAsync(threadId, runId);
        ThreadRun run = await client.GetRunAsync(threadId, runId);
        while (!run.Status.IsTerminal)
            run = await client.GetRunAsync(threadId, runId);

        Assert.Equal(RunStatus.Cancelling, cancelling.Status);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        await client.CreateMessageAsync(threadId, MessageRole.User, ["free again"]);
        Assert.Equal(0, server.RunActiveErrors);
        Assert.Equal(400, (await Assert.ThrowsAsync<ClientResultException>(() => client.CancelRunAsync(threadId, runId))).Status);
    }

    [Fact]
    public async Task CodeInterpreterImage_IsAnImagePart_WhoseFileCanBeDownloaded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        byte[] png = [0x89, 0x50, 0x4E, 0x47];
        server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("plot.png", png).Text("Here."));
        await client.CreateMessageAsync(threadId, MessageRole.User, ["plot"]);
        ThreadMessage? completed = null;
        await using (var stream = await client.CreateRunStreamingAsync(threadId, assistantId))
        {
            await foreach (var update in stream)
            {
                if (update is MessageStatusUpdate { UpdateKind: StreamingUpdateReason.MessageCompleted } message)
                    completed = message.Value;
            }
        }

        var imageId = completed!.Content[0].ImageFileId;
        var files = new OpenAIFileClient(new ApiKeyCredential(FakeOpenAIServer.ApiKey), new OpenAIClientOptions { Endpoint = server.BaseUri });
        Assert.Equal(png, (await files.DownloadFileAsync(imageId)).Value.ToArray());
        Assert.Equal("Here.", completed.Content[1].Text);
        Assert.Contains(imageId, server.Ledger.CreatedFiles);
    }

    [Fact]
    public async Task AssistantsCallsWithoutTheBetaHeader_AreRefused()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new FakeOpenAISdk(server).Http();

        using var response = await http.PostAsync("threads", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("OpenAI-Beta", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreadRunMessageAndStep_HaveEveryFieldOfTheRecordedObjects()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var (client, assistantId, threadId) = await StartAsync(server);
        server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("plot.png", [0x89, 0x50]).Text("Plotted.").FunctionCall("get_current_weather", "{}"));
        await client.CreateMessageAsync(threadId, MessageRole.User, ["plot, then the weather"]);
        string runId;
        await using (var stream = await client.CreateRunStreamingAsync(threadId, assistantId))
        {
            var updates = new List<StreamingUpdate>();
            await foreach (var update in stream)
                updates.Add(update);
            runId = updates.OfType<RequiredActionUpdate>().First().Value.Id;
        }

        using var http = new FakeOpenAISdk(server).Http();
        http.DefaultRequestHeaders.Add("OpenAI-Beta", "assistants=v2");
        async Task<JsonElement> GetAsync(string path, bool first = false)
        {
            var root = JsonDocument.Parse(await http.GetStringAsync(path)).RootElement;
            return first ? root.GetProperty("data")[0] : root;
        }

        AssertHasFields("assistants_run_stream_text.thread.json", await GetAsync($"threads/{threadId}"));
        AssertHasFields("assistants_function_tools.run_requires_action.json", await GetAsync($"threads/{threadId}/runs/{runId}"));
        AssertHasFields("assistants_function_tools.messages.json", await GetAsync($"threads/{threadId}/messages", first: true));
        AssertHasFields("assistants_code_interpreter.run_steps.json", await GetAsync($"threads/{threadId}/runs/{runId}/steps?order=asc", first: true));
    }

    // Every field the service wrote in the recording is there (the fake may write more).
    private static void AssertHasFields(string fixture, JsonElement actual)
    {
        var recorded = JsonDocument.Parse(File.ReadAllText(FakeOpenAISdk.Fixture(fixture))).RootElement;
        if (recorded.TryGetProperty("data", out var data))
            recorded = data[0];
        var missing = recorded.EnumerateObject().Select(p => p.Name).Except(actual.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.True(missing.Count == 0, $"{fixture}: the fake's object lacks {string.Join(", ", missing)}");
        Assert.Equal(recorded.GetProperty("object").GetString(), actual.GetProperty("object").GetString());
    }

    private static async Task<(AssistantClient Client, string AssistantId, string ThreadId)> StartAsync(FakeOpenAIServer server)
    {
        var client = new AssistantClient(new ApiKeyCredential(FakeOpenAIServer.ApiKey),
            new AssistantClientOptions { Endpoint = server.BaseUri, RetryPolicy = new ClientRetryPolicy(0) });
        Assistant assistant = await client.CreateAssistantAsync("gpt-test", new AssistantCreationOptions { Instructions = "Be brief." });
        AssistantThread thread = await client.CreateThreadAsync();
        return (client, assistant.Id, thread.Id);
    }
}
