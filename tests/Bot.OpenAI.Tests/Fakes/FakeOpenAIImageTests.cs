using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>
/// The fake speaks image generation as the specification defines it (ImageGenToolCall, the
/// response.image_generation_call.* events) and the SDK reads it, checks the `image_generation` tool of a request and
/// records it (issue 12, point 6).
/// </summary>
public sealed class FakeOpenAIImageTests
{
    private static readonly byte[] s_image = FakeImages.Png(3000, seed: 5);
    private static readonly byte[][] s_partials = [FakeImages.Png(1000, seed: 6), FakeImages.Png(2000, seed: 7)];

    [Fact]
    public async Task ImageGenerationCall_InProgressGeneratingPartialImagesCompleted_AndTheItemCarriesTheResult()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().ImageGeneration(s_image, s_partials).Text("Here it is."));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(await sdk.NewConversationAsync(), "draw"));

        var added = Assert.IsType<ImageGenerationCallResponseItem>(updates.OfType<StreamingResponseOutputItemAddedUpdate>().First().Item);
        Assert.Equal(ImageGenerationCallStatus.InProgress, added.Status);
        Assert.Null(added.ImageResultBytes);
        var id = added.Id;
        var kinds = updates.Where(u => u is StreamingResponseImageGenerationCallInProgressUpdate or StreamingResponseImageGenerationCallGeneratingUpdate
            or StreamingResponseImageGenerationCallPartialImageUpdate or StreamingResponseImageGenerationCallCompletedUpdate).Select(u => u.GetType().Name);
        Assert.Equal(["StreamingResponseImageGenerationCallInProgressUpdate", "StreamingResponseImageGenerationCallGeneratingUpdate",
            "StreamingResponseImageGenerationCallPartialImageUpdate", "StreamingResponseImageGenerationCallPartialImageUpdate",
            "StreamingResponseImageGenerationCallCompletedUpdate"], kinds);
        var partials = updates.OfType<StreamingResponseImageGenerationCallPartialImageUpdate>().ToList();
        Assert.All(partials, p => Assert.Equal((id, 0), (p.ItemId, p.OutputIndex)));
        Assert.Equal([0, 1], partials.Select(p => p.PartialImageIndex));
        Assert.Equal(s_partials, partials.Select(p => p.PartialImageBytes.ToArray()));
        var done = Assert.IsType<ImageGenerationCallResponseItem>(updates.OfType<StreamingResponseOutputItemDoneUpdate>().First().Item);
        Assert.Equal((id, ImageGenerationCallStatus.Completed), (done.Id, done.Status));
        Assert.Equal(s_image, done.ImageResultBytes.ToArray());
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(s_image, completed.Response.OutputItems.OfType<ImageGenerationCallResponseItem>().Single().ImageResultBytes.ToArray());
    }

    [Fact]
    public async Task TheEventsAndTheItem_HaveExactlyTheSpecificationsFields()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new FakeOpenAISdk(server).Http();
        server.Enqueue(FakeResponse.Stream().ImageGeneration(s_image, s_partials[0]));

        var events = await StreamRawAsync(http);

        var done = events.Single(e => e.Type == "response.output_item.done").Data.GetProperty("item");
        Assert.Equal(["id", "type", "status", "result"], done.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Convert.ToBase64String(s_image), done.GetProperty("result").GetString());
        foreach (var type in new[] { "in_progress", "generating", "completed" })
        {
            var e = events.Single(e => e.Type == $"response.image_generation_call.{type}").Data;
            Assert.Equal(["type", "sequence_number", "output_index", "item_id"], e.EnumerateObject().Select(p => p.Name));
        }

        var partial = events.Single(e => e.Type == "response.image_generation_call.partial_image").Data;
        Assert.Equal(["type", "sequence_number", "output_index", "item_id", "partial_image_index", "partial_image_b64", "size", "quality", "background",
            "output_format"], partial.EnumerateObject().Select(p => p.Name));
        Assert.All(events, e => Assert.Equal(e.Type, e.Data.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task AFailedCall_HasNoCompletedEvent_AndEndsWithStatusFailedAndANullResult()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().ImageGenerationFailed().Text("Sorry."));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(await sdk.NewConversationAsync(), "draw"));

        var done = Assert.IsType<ImageGenerationCallResponseItem>(updates.OfType<StreamingResponseOutputItemDoneUpdate>().First().Item);
        Assert.Equal(ImageGenerationCallStatus.Failed, done.Status);
        Assert.Null(done.ImageResultBytes);
        Assert.Empty(updates.OfType<StreamingResponseImageGenerationCallCompletedUpdate>());
    }

    [Theory]
    [InlineData("""{"type":"image_generation","model":"gpt-image-1","quality":"auto","size":"auto","partial_images":2}""", HttpStatusCode.OK)]
    [InlineData("""{"type":"image_generation","size":"1536x1024","output_format":"webp"}""", HttpStatusCode.OK)]
    [InlineData("""{"type":"image_generation","partial_images":4}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"image_generation","quality":"ultra"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"image_generation","size":"huge"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"image_generation","output_format":"gif"}""", HttpStatusCode.BadRequest)]
    public async Task TheImageGenerationTool_IsCheckedAsTheSpecificationHasIt_AndRecorded(string tool, HttpStatusCode expected)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new FakeOpenAISdk(server).Http();

        using var response = await http.PostAsync("responses", new StringContent(
            $$"""{"model":"gpt-test","input":"hi","stream":false,"tools":[{"type":"web_search"},{{tool}}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.OK)
        {
            var request = Assert.Single(server.ResponseRequests);
            Assert.Equal(["web_search", "image_generation"], request.ToolTypes);
            Assert.Equal(tool, request.ImageGeneration!.Json);
        }
    }

    private static async Task<List<(string Type, JsonElement Data)>> StreamRawAsync(HttpClient http)
    {
        using var response = await http.PostAsync("responses", new StringContent(
            """{"model":"gpt-test","input":"draw","stream":true,"tools":[{"type":"image_generation","partial_images":1}]}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var events = new List<(string, JsonElement)>();
        string? type = null;
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
                events.Add((type, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
        }

        return events;
    }
}
