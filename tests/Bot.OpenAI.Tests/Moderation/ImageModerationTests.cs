using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Moderation;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.OpenAI.Responses;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Moderation;

/// <summary>
/// Images in the moderation check before a turn, end to end: the core reads a message's image through its channel, the
/// bot's moderation client sends it to the fake's /moderations as a data URL, and a flagged image refuses the turn as
/// flagged text does. An image that cannot be read is not a moderation failure; the endpoint being down fails open or
/// closed as configured.
/// </summary>
public sealed class ImageModerationTests : IAsyncLifetime
{
    private const string Author = "ada";
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AFlaggedImage_RefusesTheTurn_BeforeAnythingReachesTheAssistant_AndIsRecordedWithItsCategories()
    {
        await using var core = await StartAsync();
        var message = WithImage(core.Channel, "c1", "what is this?", FakeModeration.Png(_server.Moderation.FlagMarker));

        await core.AskAsync(message);

        Assert.Contains(ModerationGate.RefusedSentence, core.Channel.Replies.Single().Text, StringComparison.Ordinal);
        Assert.Empty(_server.ResponseRequests);
        Assert.Empty(_server.Ledger.CreatedFiles);
        Assert.Equal([(0, 1), (1, 0)], _server.Moderation.Requests.Select(r => (r.Texts.Count, r.ImageCount)).Order());
        var recorded = Assert.Single(await core.Store.GetModerationEventsAsync("test", Author));
        Assert.Equal(["harassment", "harassment/threatening"], recorded.Categories);
    }

    [Fact]
    public async Task ACleanImage_IsChecked_AndTheTurnGoesOnWithTheImage()
    {
        await using var core = await StartAsync();
        _server.Enqueue(FakeResponse.Stream().Text("A cat."));

        Assert.Equal(TurnStatus.Completed, await core.AskAsync(WithImage(core.Channel, "c1", "what is this?", FakeModeration.Png("a cat"))));

        Assert.Equal("A cat.", core.Channel.Replies.Single().Text);
        Assert.Contains(_server.Moderation.Requests, r => r.ImageCount == 1);
        Assert.Single(Assert.Single(_server.ResponseRequests).InputImageFileIds);
    }

    [Fact]
    public async Task AnImageThatCannotBeRead_IsNotAModerationFailure_TheTextIsCheckedAndTheTurnGoesOn()
    {
        await using var core = await StartAsync(failClosed: true);
        _server.Enqueue(FakeResponse.Stream().Text("I could not see the picture."));
        var message = core.Channel.Message("c1", "what is this?", author: Author,
            attachments: [new IncomingAttachment("gone.png", "image/png", 100, "https://cdn.example/gone.png")]);

        Assert.Equal(TurnStatus.Completed, await core.AskAsync(message));

        Assert.Equal([(1, 0)], _server.Moderation.Requests.Select(r => (r.Texts.Count, r.ImageCount)));
        Assert.Single(_server.ResponseRequests);
        Assert.Contains("gone.png", core.Channel.Replies.Single().Text, StringComparison.Ordinal); // the upload reports it
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheEndpointDown_WithAnImage_FailsOpenOrClosedAsConfigured(bool failClosed)
    {
        await using var core = await StartAsync(failClosed);
        _server.FailNext("POST", "/moderations", 500, times: 100);
        _server.Enqueue(FakeResponse.Stream().Text("A cat."));

        await core.AskAsync(WithImage(core.Channel, "c1", "", FakeModeration.Png(_server.Moderation.FlagMarker)));

        var reply = core.Channel.Replies.Single().Text;
        Assert.Empty(_server.Moderation.Requests);
        if (failClosed)
        {
            Assert.Contains(ModerationGate.NotCheckedSentence, reply, StringComparison.Ordinal);
            Assert.Empty(_server.ResponseRequests);
        }
        else
        {
            Assert.Equal("A cat.", reply);
            Assert.Single(_server.ResponseRequests);
        }
    }

    private async Task<CoreHarness> StartAsync(bool failClosed = false)
    {
        var options = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey,
            Endpoint = _server.BaseUri.ToString(),
            Model = "gpt-test",
            MaxRetries = 1,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        };
        var clients = new OpenAIClients(options);
        var registry = new FunctionToolRegistry([], Options.Create(new ConversationOptions()), NullLogger<FunctionToolRegistry>.Instance);
        var backend = new ResponsesBackend(clients, options, registry, NullLogger<ResponsesBackend>.Instance);
        return await CoreHarness.StartAsync(backend, attachments: new AttachmentOptions(),
            moderation: (new OpenAIInputModeration(clients), new ModerationOptions { Enabled = true, FailClosed = failClosed }));
    }

    private static IncomingMessage WithImage(RecordingChannel channel, string conversation, string text, byte[] image)
    {
        var source = $"https://cdn.example/{Guid.NewGuid():N}.png";
        channel.AttachmentContents[source] = image;
        return channel.Message(conversation, text, author: Author, attachments: [new IncomingAttachment("picture.png", "image/png", image.Length, source)]);
    }
}
