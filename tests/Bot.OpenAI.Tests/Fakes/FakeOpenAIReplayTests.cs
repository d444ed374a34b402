using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Fakes;

public sealed class FakeOpenAIReplayTests
{
    [Fact]
    public async Task TextFixture_ReplaysThroughTheSdk()
    {
        var updates = await ReplayAsync("responses_stream_text.sse");

        Assert.Equal("Hello! How can I assist you today?", string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal("resp_0b70e4946283a4df0068c9ef5ef4d88194adeeb6e2283d609a", Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.Id);
    }

    [Fact]
    public async Task FunctionCallFixture_ReplaysThroughTheSdk()
    {
        var updates = await ReplayAsync("responses_stream_function_call.sse");

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>()).Item);
        Assert.Equal(("get_weather_at_location", "call_0UFGPwrziw5rbinYp7rthrTb"), (call.FunctionName, call.CallId));
        Assert.Equal(8, updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Count());
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
    }

    [Fact]
    public async Task CodeInterpreterFixture_ReplaysThroughTheSdk()
    {
        var updates = await ReplayAsync("responses_stream_code_interpreter.sse");

        Assert.Equal(66, updates.OfType<StreamingResponseCodeInterpreterCallCodeDeltaUpdate>().Count());
        Assert.Single(updates.OfType<StreamingResponseCodeInterpreterCallCompletedUpdate>());
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
    }

    [Fact]
    public async Task ContainerFileCitationFixture_ReplaysThroughTheSdk_AndTheCitedPngDownloads()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Replay(FakeOpenAISdk.Fixture("responses_stream_code_interpreter_container_file_citation.sse")));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "plot"));

        var citation = Assert.IsType<ContainerFileCitationMessageAnnotation>(Assert.Single(updates.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        Assert.Equal("cfile_68d5f31200208191afd3130709930804.png", citation.Filename);
        var png = (await sdk.Containers.DownloadContainerFileAsync(citation.ContainerId, citation.FileId)).Value.ToArray();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(2, updates.OfType<StreamingResponseOutputItemDoneUpdate>().Count(u => u.Item is CodeInterpreterCallResponseItem));
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
    }

    [Fact]
    public async Task FileSearchFixture_ReplaysThroughTheSdk_AndTheCitedFileIsKnown()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Replay(FakeOpenAISdk.Fixture("responses_stream_file_search.sse")));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "food?"));

        Assert.Single(updates.OfType<StreamingResponseFileSearchCallSearchingUpdate>());
        var citation = Assert.IsType<FileCitationMessageAnnotation>(Assert.Single(updates.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        Assert.Equal(("file-NCKrwcbrD1Z2ucn4Mhe1yX", "test_favorite_foods.txt", 31), (citation.FileId, citation.Filename, citation.Index));
        Assert.Equal("test_favorite_foods.txt", (await sdk.Files.GetFileAsync(citation.FileId)).Value.Filename);
        Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
    }

    [Theory]
    [InlineData("responses_stream_text.sse")]
    [InlineData("responses_stream_function_call.sse")]
    [InlineData("responses_stream_file_search.sse")]
    [InlineData("responses_stream_code_interpreter.sse")]
    [InlineData("responses_stream_code_interpreter_container_file_citation.sse")]
    public async Task Replay_IsByteExact_AndAddsTheRecordedOutputToTheConversation(string fixture)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        var path = FakeOpenAISdk.Fixture(fixture);
        server.Enqueue(FakeResponse.Replay(path));
        var conversationId = await sdk.NewConversationAsync();
        using var http = sdk.Http();
        using var body = new StringContent(
            $$"""{"model":"gpt-4o-mini","stream":true,"conversation":"{{conversationId}}","input":"hi"}""",
            System.Text.Encoding.UTF8,
            "application/json");

        using var response = await http.PostAsync("responses", body);

        Assert.Equal(await File.ReadAllBytesAsync(path), await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var items = await sdk.ConversationItemsAsync(conversationId);
        Assert.Equal("user", items[0].GetProperty("role").GetString());
        Assert.True(items.Count > 1);
    }

    private static async Task<List<StreamingResponseUpdate>> ReplayAsync(string fixture)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Replay(FakeOpenAISdk.Fixture(fixture)));
        return await sdk.StreamAsync(FakeOpenAISdk.Turn(null, "hi"));
    }
}
