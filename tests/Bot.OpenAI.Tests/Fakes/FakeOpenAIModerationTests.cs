using System.ClientModel;
using System.ClientModel.Primitives;
using Bot.Core.Moderation;
using Bot.Testing.OpenAI;
using OpenAI;
using OpenAI.Moderations;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>The fake's POST /moderations read by the SDK's own model, and the bot's moderation client against it.</summary>
public sealed class FakeOpenAIModerationTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TheSdksTypedClient_ReadsAFlaggedAndACleanResult()
    {
        var client = new OpenAIClient(new ApiKeyCredential(FakeOpenAIServer.ApiKey), new OpenAIClientOptions { Endpoint = _server.BaseUri })
            .GetModerationClient("omni-moderation-latest");

        ModerationResultCollection results = await client.ClassifyTextAsync([$"{_server.Moderation.FlagMarker} you", "good morning"]);

        Assert.True(results[0].Flagged);
        Assert.True(results[0].HarassmentThreatening.Flagged);
        Assert.False(results[0].Violence.Flagged);
        Assert.False(results[1].Flagged);
        var request = Assert.Single(_server.Moderation.Requests);
        Assert.Equal("omni-moderation-latest", request.Model);
        Assert.Equal([$"{_server.Moderation.FlagMarker} you", "good morning"], request.Texts);
    }

    [Fact]
    public async Task TheBotsClient_GivesOneVerdictPerText_WithTheApisCategoryNames_AndHostileNamesAsOther()
    {
        _server.Moderation.FlaggedCategories = ["violence", "<@everyone>\n**bold**"];
        var moderation = new OpenAIInputModeration(Clients());

        var verdicts = await moderation.CheckAsync([ModerationInput.OfText("hello"), ModerationInput.OfText($"x {_server.Moderation.FlagMarker}")], "omni-moderation-latest");

        Assert.Equal([false, true], verdicts.Select(v => v.Flagged));
        Assert.Empty(verdicts[0].Categories);
        Assert.Equal(["violence", "other"], verdicts[1].Categories);
    }

    [Fact]
    public async Task TheBotsClient_OnA500AfterItsRetries_ThrowsModerationUnavailable()
    {
        _server.FailNext("POST", "/moderations", 500, times: 10);
        var moderation = new OpenAIInputModeration(Clients());

        await Assert.ThrowsAsync<ModerationUnavailableException>(() => moderation.CheckAsync([ModerationInput.OfText("hello")], "omni-moderation-latest"));
        Assert.Empty(_server.Moderation.Requests);
    }

    private OpenAIClients Clients() => new(new OpenAIOptions
    {
        ApiKey = FakeOpenAIServer.ApiKey,
        Endpoint = _server.BaseUri.ToString(),
        MaxRetries = 1,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
    });

    [Fact]
    public async Task TheBotsClient_SendsEachImageAsADataUrlPart_AndOnlyTheImageWithTheMarkerIsFlagged()
    {
        var moderation = new OpenAIInputModeration(Clients());
        var flagged = FakeModeration.Png(_server.Moderation.FlagMarker);

        var verdicts = await moderation.CheckAsync(
            [ModerationInput.OfText("hello"), ModerationInput.OfImage(flagged, "image/png"), ModerationInput.OfImage(FakeModeration.Png("a cat"), "image/png")],
            "omni-moderation-latest");

        Assert.Equal([false, true, false], verdicts.Select(v => v.Flagged));
        Assert.Equal(["harassment", "harassment/threatening"], verdicts[1].Categories);
        // The texts in one request; each image in one of its own, as a multi-modal input.
        Assert.Equal([(0, 1), (0, 1), (1, 0)], _server.Moderation.Requests.Select(r => (r.Texts.Count, r.ImageCount)).Order());
    }

    [Theory]
    [InlineData("""{"type":"image_url"}""")]
    [InlineData("""{"type":"image_url","image_url":{"url":"data:image/png;base64,%%%not-base64"}}""")]
    [InlineData("""{"type":"image_url","image_url":{"url":"not a url"}}""")]
    [InlineData("""{"type":"image","image_url":{"url":"https://images.example/cat.png"}}""")]
    public async Task MalformedImageInput_IsRejectedWith400_AsTheServiceDoes(string part)
    {
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + FakeOpenAIServer.ApiKey);

        using var response = await http.PostAsync("moderations",
            new StringContent($$"""{"model":"omni-moderation-latest","input":[{{part}}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_server.Moderation.Requests);
    }
}
