using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Terminal;

/// <summary>
/// Issue 12's check in the terminal: with web search and image generation on, the chat against the fake sends both
/// tools and compaction with every request, prints the cited URL and saves the generated image byte for byte.
/// </summary>
public sealed class TerminalImageTests : TerminalTestBase
{
    [Fact]
    public async Task WithWebSearchAndImageGeneration_TheCitedUrlIsPrinted_TheImageSavedByteExact_AndEveryRequestCarriesContextManagement()
    {
        const string answer = "The lighthouse at Hook Head is the oldest in use ([Hook Lighthouse](https://hook.example/history)).";
        var image = FakeImages.Png(300_000, seed: 31);
        var cited = answer.IndexOf("([Hook", StringComparison.Ordinal);
        Server.Enqueue(
            FakeResponse.Stream().WebSearch("oldest lighthouse in use").ImageGeneration(image, FakeImages.Png(1000, seed: 32))
                .Text(answer, FakeCitation.Url("https://hook.example/history", "Hook Lighthouse: history", cited, answer.Length - 1)),
            FakeResponse.Stream().Text("You're welcome."));
        var errors = new StringWriter();

        var (exitCode, output) = await TerminalRun.ChatAsync(Server, Folder, new StringReader("draw the oldest lighthouse in use\nthanks\n"), errors,
            "--OpenAI:Tools:WebSearch", "true", "--OpenAI:Tools:ImageGeneration", "true");

        Assert.Equal(0, exitCode);
        Assert.Contains("[1] Hook Lighthouse: history <https://hook.example/history>", output, StringComparison.Ordinal);
        var saved = Path.Combine(OutputFolder, "image-1.png");
        Assert.Contains($"📎 Saved {saved}", output, StringComparison.Ordinal);
        Assert.Equal(image, await File.ReadAllBytesAsync(saved));
        Assert.Equal([saved], Directory.GetFiles(OutputFolder)); // the partial image is not saved
        Assert.Equal(2, Server.ResponseRequests.Count);
        Assert.All(Server.ResponseRequests, r =>
        {
            Assert.True(r.HasWebSearch);
            Assert.NotNull(r.ImageGeneration);
            Assert.Equal(100_000, r.CompactThreshold);
        });
    }
}
