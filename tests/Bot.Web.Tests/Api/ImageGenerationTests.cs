using System.Net;
using Bot.Testing.OpenAI;
using Bot.Web.Threads;

namespace Bot.Web.Tests.Api;

/// <summary>
/// Image generation in the web chat (issue 12, point 3): partial images appear in the reply's message in order as they
/// arrive, each served like a generated file and deleted once the next one replaces it; the final image takes their
/// place byte for byte; one over the chat's file limit becomes a note and the text is still delivered.
/// </summary>
public sealed class ImageGenerationTests
{
    private static readonly Dictionary<string, string?> s_imageGeneration = new()
    {
        ["OpenAI:Tools:ImageGeneration"] = "true",
        ["OpenAI:ImagePartials"] = "2",
    };

    [Fact]
    public async Task PartialImages_ReachThePageInOrder_AndTheFinalImageReplacesThem()
    {
        var partials = new[] { TestImages.Chart(120, 80), TestImages.Chart(240, 160) };
        var image = TestImages.Chart();
        await using var bed = await TestBed.StartAsync(s_imageGeneration);
        var proceed = new SemaphoreSlim(0);
        // The drawing comes before any text: its previews open the reply's message, which the text then fills.
        bed.OpenAI.Enqueue(FakeResponse.Stream().ImageGeneration(image, _ => proceed.WaitAsync(), partials).Text("Here is a chart."));
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await events.WaitForAsync("sync");

        await visitor.SendOkAsync(thread, "draw a chart");
        var shown = new List<WebFile>();
        for (var i = 0; i < partials.Length; i++)
        {
            var name = $"image-1-partial-{i + 1}.png";
            var message = await events.WaitForAsync(e => e.Type == "message" && Preview(e)?.Name == name);
            var preview = Preview(message)!;
            Assert.Equal("image/png", preview.MediaType);
            Assert.Equal(partials[i], await FileAsync(visitor, thread, preview.Id!));
            shown.Add(preview);
            proceed.Release(); // the fake goes on only once the page has seen this one
        }

        await events.WaitForAsync("done");

        var final = (await visitor.HistoryAsync(thread)).Messages.Last(m => m.Role == WebMessage.Assistant);
        Assert.Null(final.Preview);
        Assert.Equal("Here is a chart.", final.Text);
        var file = Assert.Single(final.Files);
        Assert.Equal(("image-1.png", "image/png"), (file.Name, file.MediaType));
        Assert.Equal(image, await FileAsync(visitor, thread, file.Id!));
        foreach (var preview in shown)
        {
            using var gone = await visitor.GetAsync($"/api/threads/{thread}/files/{preview.Id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Single((await visitor.HistoryAsync(thread)).Messages, m => m.Role == WebMessage.Assistant);
    }

    [Fact]
    public async Task AnImageOverTheChatsFileLimit_IsANote_AndTheTextIsDelivered()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?>(s_imageGeneration) { ["Web:MaxOutputFileBytes"] = "1000" });
        bed.OpenAI.Enqueue(FakeResponse.Stream().ImageGeneration(TestImages.Chart()).Text("Here is a chart."));
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await events.WaitForAsync("sync");

        await visitor.SendOkAsync(thread, "draw a chart");
        await events.WaitForAsync("done");

        var final = (await visitor.HistoryAsync(thread)).Messages.Last(m => m.Role == WebMessage.Assistant);
        Assert.Empty(final.Files);
        Assert.StartsWith("Here is a chart.", final.Text, StringComparison.Ordinal);
        Assert.Contains("image-1.png", final.Text, StringComparison.Ordinal);
        Assert.Contains("upload limit", final.Text, StringComparison.Ordinal);
    }

    private static WebFile? Preview(ServerEvent e) =>
        e.Data.TryGetProperty("preview", out var preview)
            ? System.Text.Json.JsonSerializer.Deserialize<WebFile>(preview.GetRawText(), WebJson.Options)
            : null;

    private static async Task<byte[]> FileAsync(WebChatClient visitor, string thread, string id)
    {
        using var response = await visitor.GetAsync($"/api/threads/{thread}/files/{id}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
