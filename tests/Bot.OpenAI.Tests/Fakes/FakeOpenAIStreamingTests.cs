using System.ClientModel;
using System.ClientModel.Primitives;
using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Fakes;

public sealed class FakeOpenAIStreamingTests
{
    [Fact]
    public async Task StreamedText_ArrivesAsDeltasThatJoin_ThenCompletedWithUsage()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        const string text = "Hello! How can I assist you today? Überraschung 🎉 — fine.";
        server.Enqueue(FakeResponse.Stream().Text(text).Completed());
        var conversationId = await sdk.NewConversationAsync();

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "Hi there"));

        var deltas = updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta).ToList();
        Assert.True(deltas.Count > 5);
        Assert.All(deltas, d => Assert.InRange(d.Length, 1, 6));
        Assert.Equal(text, string.Concat(deltas));
        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Completed, completed.Response.Status);
        Assert.Equal(text, completed.Response.GetOutputText());
        Assert.Equal(deltas.Count, completed.Response.Usage.OutputTokenCount);
        Assert.True(completed.Response.Usage.InputTokenCount > 0);
        Assert.Equal(completed.Response.Usage.InputTokenCount + deltas.Count, completed.Response.Usage.TotalTokenCount);
        Assert.Equal(conversationId, completed.Response.ConversationOptions?.ConversationId);
        Assert.Equal(text, Assert.IsType<StreamingResponseOutputTextDoneUpdate>(updates[^4]).Text);

        var request = Assert.Single(server.ResponseRequests);
        Assert.Equal((conversationId, FakeOpenAISdk.Model, "You are a helpful bot.", "Hi there", true),
            (request.ConversationId, request.Model, request.Instructions, request.UserText, request.Stream));
        Assert.Equal(completed.Response.Id, request.ResponseId);

        // The turn's user input and the assistant's answer are now the conversation's items.
        var items = await sdk.ConversationItemsAsync(conversationId);
        Assert.Equal(["user", "assistant"], items.Select(i => i.GetProperty("role").GetString()));
        Assert.Equal(text, items[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task DefaultResponder_EchoesTheUserText_AndNonStreamedRequestsGetTheResponseObject()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);

        var result = (await sdk.Responses.CreateResponseAsync(FakeOpenAISdk.Turn(null, "ping", stream: false))).Value;

        Assert.Equal(ResponseStatus.Completed, result.Status);
        Assert.Equal("You said: ping", result.GetOutputText());
        Assert.False(Assert.Single(server.ResponseRequests).Stream);
        Assert.Equal(result.Id, (await sdk.Responses.GetResponseAsync(result.Id)).Value.Id);
    }

    [Fact]
    public async Task FunctionCall_RoundTrip_RecordsTheCallIdAndOutput()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        const string arguments = """{"location":"San Francisco, CA"}""";
        server.Enqueue(
            FakeResponse.Stream().FunctionCall("get_weather", arguments),
            FakeResponse.Stream().Text("It is 21 °C in San Francisco."));
        var conversationId = await sdk.NewConversationAsync();
        var first = FakeOpenAISdk.Turn(conversationId, "Weather in SF?");
        first.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"location":{"type":"string"}}}"""), strictModeEnabled: false));

        var updates = await sdk.StreamAsync(first);

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal(("get_weather", arguments), (call.FunctionName, call.FunctionArguments.ToString()));
        Assert.StartsWith("call_", call.CallId, StringComparison.Ordinal);
        Assert.Equal(arguments, string.Concat(updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(d => d.Delta.ToString())));
        Assert.Equal("get_weather", Assert.Single(updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>()).FunctionName);
        Assert.Equal(["get_weather"], server.ResponseRequests[0].FunctionNames);
        Assert.Contains("location", server.ResponseRequests[0].FunctionParameters["get_weather"], StringComparison.Ordinal);

        var second = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true, ConversationOptions = new(conversationId) };
        second.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, """{"temp_c":21}"""));
        var answer = await sdk.StreamAsync(second);

        Assert.IsType<StreamingResponseCompletedUpdate>(answer[^1]);
        Assert.Equal("""{"temp_c":21}""", server.ResponseRequests[1].FunctionCallOutputs[call.CallId]);
        var items = await sdk.ConversationItemsAsync(conversationId);
        Assert.Equal(["message", "function_call", "function_call_output", "message"], items.Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task FunctionCalls_MustBeAnswered_AndOutputsMustMatchACall()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().FunctionCall("lookup", "{}", "call_known"));
        var conversationId = await sdk.NewConversationAsync();
        await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "go"));

        var unanswered = await Assert.ThrowsAsync<ClientResultException>(() => sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "and now?")));
        var wrongId = new CreateResponseOptions { Model = FakeOpenAISdk.Model, StreamingEnabled = true, ConversationOptions = new(conversationId) };
        wrongId.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem("call_unknown", "x"));
        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => sdk.StreamAsync(wrongId));

        Assert.Equal(400, unanswered.Status);
        Assert.Contains("No tool output found for function call call_known.", unanswered.Message, StringComparison.Ordinal);
        Assert.Equal(400, unknown.Status);
        Assert.Contains("No tool call found for function call output with call_id call_unknown.", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEvent_ArrivesAsErrorUpdate_AndTheStreamEndsWithoutTerminalUpdate()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Text("Partial").ErrorEvent("server_error", "Something went wrong"));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "hi"));

        var error = Assert.IsType<StreamingResponseErrorUpdate>(updates[^1]);
        Assert.Equal(("server_error", "Something went wrong"), (error.Code, error.Message));
        Assert.DoesNotContain(updates, IsTerminal);
    }

    [Fact]
    public async Task Cut_ResetsTheConnectionMidStream_SoTheEnumerationThrows_WithoutTerminalUpdate()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Text("This answer breaks off").Cut(), FakeResponse.Stream().Text("Back again"));
        var conversationId = await sdk.NewConversationAsync();

        var updates = new List<StreamingResponseUpdate>();
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await using var stream = await sdk.Responses.CreateResponseStreamingAsync(FakeOpenAISdk.Turn(conversationId, "hi"));
            await foreach (var update in stream)
            {
                updates.Add(update);
            }
        });

        Assert.Contains(updates, u => u is StreamingResponseOutputItemDoneUpdate);
        Assert.DoesNotContain(updates, IsTerminal);

        // The dropped response no longer holds the conversation, and its turn was not added to it.
        Assert.IsType<StreamingResponseCompletedUpdate>((await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "again")))[^1]);
        Assert.Equal(2, (await sdk.ConversationItemsAsync(conversationId)).Count);
    }

    [Fact]
    public async Task GracefulCut_EndsTheEnumerationSilently_WithoutTerminalUpdate()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Text("Cut by a proxy").Cut(reset: false));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "hi"));

        Assert.IsType<StreamingResponseOutputItemDoneUpdate>(updates[^1]);
    }

    [Fact]
    public async Task NonStreamed_FailedIsAResponseObject_AndErrorEventIsAnHttp500()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Text("x").Failed(), FakeResponse.Stream().Text("x").ErrorEvent("server_error", "boom"));

        var failed = (await sdk.Responses.CreateResponseAsync(FakeOpenAISdk.Turn(null, "a", stream: false))).Value;
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Responses.CreateResponseAsync(FakeOpenAISdk.Turn(null, "b", stream: false)));

        Assert.Equal((ResponseStatus.Failed, ResponseErrorCode.ServerError), (failed.Status, failed.Error.Code));
        Assert.Equal(500, error.Status);
        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedAndIncomplete_ComeOutAsTheirUpdates_WithErrorAndReason()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(
            FakeResponse.Stream().Text("Half").Failed("rate_limit_exceeded", "Too many tokens"),
            FakeResponse.Stream().Text("Cut short").Incomplete());

        var failed = Assert.IsType<StreamingResponseFailedUpdate>((await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "a")))[^1]);
        var incomplete = Assert.IsType<StreamingResponseIncompleteUpdate>((await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "b")))[^1]);

        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Equal(ResponseErrorCode.RateLimitExceeded, failed.Response.Error.Code);
        Assert.Equal("Too many tokens", failed.Response.Error.Message);
        Assert.Equal(ResponseStatus.Incomplete, incomplete.Response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, incomplete.Response.IncompleteStatusDetails.Reason);
        Assert.Equal("Cut short", incomplete.Response.GetOutputText());
    }

    [Fact]
    public async Task RateLimit_WithRetryAfter_IsRetriedBySdkRetryPolicy_AndTheRetryGetsTheNextScript()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var patient = new FakeOpenAISdk(server, new ClientRetryPolicy(1));
        var impatient = new FakeOpenAISdk(server);
        server.Enqueue(
            FakeResponse.HttpError(429, "Rate limit reached for requests", "rate_limit_exceeded", TimeSpan.FromSeconds(1)),
            FakeResponse.Stream().Text("Made it"),
            FakeResponse.HttpError(429, "Rate limit reached for requests", "rate_limit_exceeded", TimeSpan.FromSeconds(1)));

        var updates = await patient.StreamAsync(FakeOpenAISdk.Turn(null, "hi"));
        var error = await Assert.ThrowsAsync<ClientResultException>(() => impatient.StreamAsync(FakeOpenAISdk.Turn(null, "hi")));

        Assert.Equal("Made it", Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.GetOutputText());
        Assert.Equal(3, server.RequestLog.Count(l => l == "POST /v1/responses"));
        Assert.Equal(429, error.Status);
        Assert.Contains("rate_limit_exceeded", error.Message, StringComparison.Ordinal);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("1", retryAfter);
    }

    [Fact]
    public async Task TwoConcurrentResponses_OnOneConversation_TheSecondGetsConversationLocked()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Delay(TimeSpan.FromSeconds(1)).Text("slow"));
        var conversationId = await sdk.NewConversationAsync();

        // The SDK returns once the headers and response.created are in: the first response is active from here on.
        await using var first = await sdk.Responses.CreateResponseStreamingAsync(FakeOpenAISdk.Turn(conversationId, "one"));
        var error = await Assert.ThrowsAsync<ClientResultException>(() => sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "two")));
        var firstUpdates = new List<StreamingResponseUpdate>();
        await foreach (var update in first)
        {
            firstUpdates.Add(update);
        }

        Assert.Equal(400, error.Status);
        Assert.Contains("(invalid_request_error: conversation_locked)", error.Message, StringComparison.Ordinal);
        Assert.Contains(ResponseEndpointsMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.ConversationConflicts);
        Assert.Equal(2, server.MaxConcurrentResponsesPerConversation);
        Assert.IsType<StreamingResponseCompletedUpdate>(firstUpdates[^1]);
        Assert.Single(server.ResponseRequests);
    }

    [Fact]
    public async Task Cancel_EndsAStreamingResponse_AndReleasesTheConversation()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Text("Before").Delay(TimeSpan.FromSeconds(30)).Text("never"));
        var conversationId = await sdk.NewConversationAsync();

        var updates = new List<StreamingResponseUpdate>();
        await using (var stream = await sdk.Responses.CreateResponseStreamingAsync(FakeOpenAISdk.Turn(conversationId, "hi")))
        {
            await foreach (var update in stream)
            {
                updates.Add(update);
                if (update is StreamingResponseOutputItemDoneUpdate)
                {
                    var cancelled = (await sdk.Responses.CancelResponseAsync(((StreamingResponseCreatedUpdate)updates[0]).Response.Id)).Value;
                    Assert.Equal(ResponseStatus.Cancelled, cancelled.Status);
                }
            }
        }

        Assert.DoesNotContain(updates, IsTerminal);
        var again = await Assert.ThrowsAsync<ClientResultException>(() => sdk.Responses.CancelResponseAsync(((StreamingResponseCreatedUpdate)updates[0]).Response.Id));
        Assert.Equal(400, again.Status);
        Assert.IsType<StreamingResponseCompletedUpdate>((await sdk.StreamAsync(FakeOpenAISdk.Turn(conversationId, "next")))[^1]);
    }

    [Fact]
    public async Task ManyConcurrentStreams_AcrossConversations_AllComplete()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.DefaultTokenInterval = TimeSpan.FromMilliseconds(1);
        var conversations = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => sdk.NewConversationAsync()));

        var results = await Task.WhenAll(conversations.Select(id => sdk.StreamAsync(FakeOpenAISdk.Turn(id, $"hello {id}"))));

        Assert.All(results, r => Assert.IsType<StreamingResponseCompletedUpdate>(r[^1]));
        Assert.Equal(0, server.ConversationConflicts);
        Assert.Equal(1, server.MaxConcurrentResponsesPerConversation);
    }

    private const string ResponseEndpointsMessage = "Another process is currently operating on this conversation. Please retry in a few seconds.";

    private static bool IsTerminal(StreamingResponseUpdate update) =>
        update is StreamingResponseCompletedUpdate or StreamingResponseFailedUpdate or StreamingResponseIncompleteUpdate;
}
