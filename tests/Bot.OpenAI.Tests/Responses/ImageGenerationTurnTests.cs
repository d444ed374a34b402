using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// Image generation (issue 12, point 3) on the Responses backend against the fake: the tool only when configured and
/// as configured, "Drawing…" while it runs, partial images as previews in order, the final image as a file byte for byte
/// (also several MB, through the stream reader), and every way it can fail ending in one sentence with the text delivered.
/// </summary>
public sealed class ImageGenerationTurnTests
{
    private const string Caption = "Here is your lighthouse at dusk.";
    private const string ImageFailedNotice = "⚠️ The image could not be made.";

    [Fact]
    public async Task TheImageGenerationTool_IsSentWithTheConfiguredModelSizeQualityAndPartialImages()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o =>
        {
            o.Tools.ImageGeneration = true;
            o.ImageModel = "gpt-image-1.5";
            o.ImageSize = "1536x1024";
            o.ImageQuality = "high";
            o.ImagePartials = 3;
        });
        bot.Server.Enqueue(FakeResponse.Stream().Text("Hi."));

        await bot.AskAsync("c1", "hi");

        var tool = bot.Server.ResponseRequests.Single().ImageGeneration;
        Assert.NotNull(tool);
        Assert.Equal(("gpt-image-1.5", "1536x1024", "high", 3), (tool.Model, tool.Size, tool.Quality, tool.PartialImages));
    }

    [Fact]
    public async Task TheImageGenerationTool_ByDefault_IsOff_AndWhenOnAsksForGptImage1AutoAndOnePartialImage()
    {
        await using (var off = await ResponsesHarness.StartAsync())
        {
            off.Server.Enqueue(FakeResponse.Stream().Text("Hi."));
            await off.AskAsync("c1", "hi");
            var request = off.Server.ResponseRequests.Single();
            Assert.Null(request.ImageGeneration);
            Assert.DoesNotContain("image_generation", request.ToolTypes);
        }

        await using var on = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        on.Server.Enqueue(FakeResponse.Stream().Text("Hi."));
        await on.AskAsync("c1", "hi");
        var tool = on.Server.ResponseRequests.Single().ImageGeneration;
        Assert.NotNull(tool);
        Assert.Equal(("gpt-image-1", "auto", "auto", 1), (tool.Model, tool.Size, tool.Quality, tool.PartialImages));
    }

    [Fact]
    public async Task Drawing_ShowsItsStatus_AndTheFinalImageIsDeliveredByteExact_AsImage1Png()
    {
        var image = FakeImages.Png(40_000);
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        // The drawing waits after its partial image until the channel shows the status.
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(image, _ => bot.Channel.Changes.UntilAsync(
            () => bot.Channel.Replies is [var r] && r.Writes.Any(w => w.Text.Contains("_Drawing…_", StringComparison.Ordinal))), FakeImages.Png(100)).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw a lighthouse"));

        var reply = bot.Channel.Replies.Single();
        Assert.Contains(reply.Writes, w => w.Text.Contains("_Drawing…_", StringComparison.Ordinal));
        Assert.Equal(Caption, reply.Text);
        var file = Assert.Single(reply.Files);
        Assert.Equal(("image-1.png", "image/png"), (file.FileName, file.MediaType));
        Assert.Equal(image, file.Content.ToArray());
    }

    [Fact]
    public async Task AnImageOfSeveralMegabytes_ComesThroughTheStreamReader_ByteExact()
    {
        var image = FakeImages.Png(6 * 1024 * 1024, seed: 7); // 8 MB of base64 in one event, twice (done item, completed response)
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true,
            channel: new RecordingChannel(limits: new(2000, TimeSpan.Zero, 25 * 1024 * 1024)));
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(image, FakeImages.Png(3 * 1024 * 1024, seed: 8)).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw a big lighthouse"));

        Assert.Equal(image, Assert.Single(bot.Channel.Replies.Single().Files).Content.ToArray());
    }

    [Fact]
    public async Task PartialImages_ReachAChannelThatShowsThem_InOrder_AndTheFinalStateCarriesOnlyTheFinalImage()
    {
        var partials = new[] { FakeImages.Png(500, seed: 11), FakeImages.Png(600, seed: 12) };
        var image = FakeImages.Png(700, seed: 13);
        var channel = new RecordingChannel(limits: new(2000, TimeSpan.Zero, 8 * 1024 * 1024))
        {
            Presenter = new RecordingPresenter(s => RecordingPresenter.Editable.Present(s) with { Preview = s.Preview }),
        };
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true, channel: channel);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(image, ShownOnChannel(channel), partials).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        var reply = channel.Replies.Single();
        Assert.Equal([partials[0], partials[1]], reply.Previews.Select(p => p!.Image.Content.ToArray()));
        Assert.Equal(["image-1-partial-1.png", "image-1-partial-2.png"], reply.Previews.Select(p => p!.Image.FileName));
        Assert.Null(reply.Final!.Preview);
        Assert.Equal(image, Assert.Single(reply.Files).Content.ToArray());
    }

    [Fact]
    public async Task PartialImages_AreNotShownWhereThePresenterLeavesThemOut()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(FakeImages.Png(700), FakeImages.Png(500, seed: 2)).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        Assert.Empty(bot.Channel.Replies.Single().Previews);
        Assert.Single(bot.Channel.Replies.Single().Files);
    }

    [Fact]
    public async Task AFailedDrawing_TheTextStillArrives_WithOneSentenceSayingTheImageCouldNotBeMade()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGenerationFailed().Text("I tried to draw it for you."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal($"{ImageFailedNotice}\n\nI tried to draw it for you.", reply.Text);
        Assert.Empty(reply.Files);
    }

    [Fact]
    public async Task AnErrorEventWhileDrawing_TheTextThatCameStays_WithOneSentence_AndTheTurnIsNotAFailure()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().Text("Let me draw that.").ImageGenerationInterrupted(FakeImages.Png(500))
            .ErrorEvent("server_error", "Image generation failed."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal($"{ImageFailedNotice}\n\nLet me draw that.", reply.Text);
        Assert.Empty(reply.Files);
    }

    [Fact]
    public async Task AnErrorEventWithNoDrawingRunning_IsStillTheTurnsFailure()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(FakeImages.Png(500)).Text("Done.").ErrorEvent("server_error", "Something else broke."));

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync("c1", "draw"));

        Assert.DoesNotContain(ImageFailedNotice, bot.Channel.Replies.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResultThatIsNotBase64_IsANote_NotACrash_AndTheTextArrives()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGenerationResult("this is *not* base64!").Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal($"{ImageFailedNotice}\n\n{Caption}", reply.Text);
        Assert.Empty(reply.Files);
    }

    [Fact]
    public async Task AResultThatDecodesToSomethingOtherThanAnImage_IsNotDeliveredAsOne()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGenerationResult(Convert.ToBase64String("<script>alert(1)</script>"u8.ToArray())).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        Assert.Empty(bot.Channel.Replies.Single().Files);
        Assert.StartsWith(ImageFailedNotice, bot.Channel.Replies.Single().Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImageOverTheBotsLimit_IsNotDecoded_ButNamedInANote_AndTheTextArrives()
    {
        await using var bot = await ResponsesHarness.StartAsync(configure: o =>
        {
            o.Tools.ImageGeneration = true;
            o.MaxOutputFileBytes = 10_000;
        });
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(FakeImages.Png(50_000)).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw"));

        var reply = bot.Channel.Replies.Single();
        Assert.Empty(reply.Files);
        Assert.StartsWith(Caption, reply.Text, StringComparison.Ordinal);
        Assert.Contains("image-1.png is larger than", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImageOverTheChannelsUploadLimit_BecomesANote_AndTheRestIsDelivered()
    {
        var channel = new RecordingChannel(limits: new(2000, TimeSpan.Zero, 30_000));
        await using var bot = await ResponsesHarness.StartAsync(configure: o => o.Tools.ImageGeneration = true, channel: channel);
        bot.Server.Enqueue(FakeResponse.Stream().ImageGeneration(FakeImages.Png(50_000)).ImageGeneration(FakeImages.Png(20_000, seed: 3)).Text(Caption));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "draw two"));

        var reply = channel.Replies.Single();
        Assert.StartsWith(Caption, reply.Text, StringComparison.Ordinal);
        Assert.Contains("image-1.png", reply.Text, StringComparison.Ordinal);
        Assert.Contains("upload limit", reply.Text, StringComparison.Ordinal);
        Assert.Equal("image-2.png", Assert.Single(reply.Files).FileName);
    }

    [Theory]
    [InlineData("ImageSize", "large")]
    [InlineData("ImageSize", "1024*1024")]
    [InlineData("ImageQuality", "ultra")]
    [InlineData("ImagePartials", "4")]
    [InlineData("ImagePartials", "-1")]
    [InlineData("ImageModel", " ")]
    public void ImageSettingsOutOfRange_StopTheBotAtStart_NamingTheKey(string key, string value)
    {
        var options = new OpenAIOptions { ApiKey = "sk-test" };
        switch (key)
        {
            case "ImageSize": options.ImageSize = value; break;
            case "ImageQuality": options.ImageQuality = value; break;
            case "ImagePartials": options.ImagePartials = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            default: options.ImageModel = value; break;
        }

        var failure = Assert.Single(new OpenAIOptionsValidator().Validate(null, options).Failures ?? []);
        Assert.StartsWith($"OpenAI:{key}:", failure, StringComparison.Ordinal);
        Assert.True(new OpenAIOptionsValidator().Validate(null, new OpenAIOptions { ApiKey = "sk-test", ImageSize = "1024x1536", ImageQuality = "low" }).Succeeded);
    }

    // After each partial image, waits until the channel has shown it (so none is skipped as an intermediate state).
    private static Func<int, Task> ShownOnChannel(RecordingChannel channel) => index =>
        channel.Changes.UntilAsync(() => channel.Replies.Count == 1 && channel.Replies[0].Previews.Count(p => p is not null) > index);
}
