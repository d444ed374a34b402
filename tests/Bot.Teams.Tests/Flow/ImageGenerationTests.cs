using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// Image generation in Teams (issue 12, point 3): only the final image is sent, inline in the final message byte for
/// byte; partial images are not sent; an image over Teams:MaxInlineImageBytes becomes a note and the text still arrives.
/// </summary>
public sealed class ImageGenerationTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["OpenAI:Tools:ImageGeneration"] = "true",
        ["OpenAI:ImagePartials"] = "2",
    };

    [Fact]
    public async Task TheFinalImage_ComesBackInlineByteExact_AndNoPartialImageIsSent()
    {
        var image = FakeImages.Png(20_000, seed: 21);
        var partials = new[] { FakeImages.Png(5_000, seed: 22), FakeImages.Png(6_000, seed: 23) };
        await using var bot = await TeamsHarness.StartAsync(s_settings);
        bot.OpenAI.Enqueue(FakeResponse.Stream().ImageGeneration(image, partials).Text("Here is your lighthouse."));

        var final = await AskAsync(bot, "draw a lighthouse");

        Assert.Equal("Here is your lighthouse.", final.Text);
        var attachment = Assert.Single(final.Attachments);
        Assert.Equal(("image/png", "image-1.png"), (attachment["contentType"]!.GetValue<string>(), attachment["name"]?.GetValue<string>()));
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(image), attachment["contentUrl"]!.GetValue<string>());
        var everything = string.Concat(bot.Teams.Requests.Select(r => r.Body?.ToJsonString()));
        Assert.All(partials, p => Assert.DoesNotContain(Convert.ToBase64String(p)[..64], everything, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnImageOverTheInlineLimit_IsANote_AndTheTextArrives()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>(s_settings) { ["Teams:MaxInlineImageBytes"] = "10000" });
        bot.OpenAI.Enqueue(FakeResponse.Stream().ImageGeneration(FakeImages.Png(50_000)).Text("Here is your lighthouse."));

        var final = await AskAsync(bot, "draw a lighthouse");

        Assert.Empty(final.Attachments);
        Assert.StartsWith("Here is your lighthouse.", final.Text, StringComparison.Ordinal);
        Assert.Contains("image-1.png", final.Text, StringComparison.Ordinal);
        Assert.Contains("upload limit", final.Text, StringComparison.Ordinal);
    }

    private static async Task<ConnectorRequest> AskAsync(TeamsHarness bot, string text)
    {
        var activity = Activities.Personal(bot.Teams.ServiceUrl, text);
        var conversation = Activities.ConversationId(activity);
        await bot.SendAsync(activity);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));
        return bot.Teams.Requests.Single(x => x.ConversationId == conversation && x.StreamType == "final");
    }
}
