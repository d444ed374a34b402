using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>Personal chat: the Teams streaming protocol (teams.md §5) end to end, with the real backend.</summary>
public sealed class PersonalStreamingTests : IAsyncLifetime
{
    private const string Answer =
        "Streaming lets a Teams user watch the answer grow, one update a second, instead of staring at a typing indicator until the whole thing is done.";

    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task PersonalMessage_StreamsInformativeThenGrowingUpdatesAtMostOncePerSecond_ThenTheFinalMessage()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(120)).Text(Answer));
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "explain streaming");
        var conversation = Activities.ConversationId(activity);

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));

        var stream = _bot.Teams.Requests.Where(r => r.ConversationId == conversation).ToList();
        Assert.All(stream, r => Assert.True(r.Succeeded, FakeTeamsServer.Describe(r)));
        Assert.Equal(("typing", "informative", 1, "Thinking…"), (stream[0].Type, stream[0].StreamType, stream[0].StreamSequence, stream[0].Text));

        var updates = stream.Where(r => r.StreamType == "streaming").ToList();
        Assert.True(updates.Count >= 2, "the answer should grow over several updates");
        for (var i = 1; i < updates.Count; i++)
        {
            Assert.StartsWith(updates[i - 1].Text!, updates[i].Text!, StringComparison.Ordinal);
            Assert.True(updates[i].Text!.Length > updates[i - 1].Text!.Length);
        }

        var sequences = stream.Where(r => r.StreamSequence is not null).Select(r => r.StreamSequence!.Value).ToList();
        Assert.Equal(Enumerable.Range(1, sequences.Count), sequences);
        for (var i = 1; i < stream.Count; i++)
            Assert.True(stream[i].At - stream[i - 1].At >= TimeSpan.FromMilliseconds(985), "at most one stream request a second");

        var final = stream[^1];
        Assert.Equal(("message", "final", null), (final.Type, final.StreamType, final.StreamSequence));
        Assert.Equal(Answer, final.Text);
        var streamIds = stream.Skip(1).Select(r => r.StreamInfo!["streamId"]?.GetValue<string>()).Distinct().ToList();
        Assert.NotNull(Assert.Single(streamIds));
        Assert.Equal(0, _bot.Teams.Throttled);
    }

    [Fact]
    public async Task StopPressedByTheUser_CancelsTheRemoteTurn_AndNothingMoreIsSent()
    {
        // A background response (the default) goes on at the service after the stream closes: the core's Stop cancels it.
        await using var bot = await TeamsHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(200)).Text(Answer + " " + Answer + " " + Answer));
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "talk for a while");
        var conversation = Activities.ConversationId(activity);
        await bot.SendAsync(activity);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "streaming"));

        bot.Teams.StopStreamOnNextUpdate(conversation);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Status == 403));

        var responseId = bot.OpenAI.ResponseRequests.Single().ResponseId!;
        Assert.Equal("cancelled", await WaitForResponseStatusAsync(bot, responseId, "cancelled"));
        var afterStop = bot.Teams.Requests.Where(r => r.ConversationId == conversation).SkipWhile(r => r.Status != 403).Skip(1).ToList();
        Assert.Empty(afterStop);
    }

    [Fact]
    public async Task StreamNearTheTwoMinuteCap_EndsAsANormalMessage_ThatIsThenUpdated()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:StreamCutoff"] = "00:00:02" });
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(150)).Text(Answer + " " + Answer));
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "a long one");
        var conversation = Activities.ConversationId(activity);

        await bot.SendAsync(activity);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Method == "PUT" && x.Text == Answer + " " + Answer));

        var requests = bot.Teams.Requests.Where(r => r.ConversationId == conversation).ToList();
        var final = Assert.Single(requests, r => r.StreamType == "final");
        Assert.True(final.Text!.Length < (Answer + " " + Answer).Length, "the stream ended before the answer did");
        Assert.All(requests.SkipWhile(r => r.StreamType != "final").Skip(1), r => Assert.Equal("PUT", r.Method));
        Assert.All(requests, r => Assert.True(r.Succeeded, FakeTeamsServer.Describe(r)));
    }

    [Fact]
    public async Task TeamsEndingTheStreamForTime_TheAnswerIsFinishedByUpdatingTheStreamedMessage()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(120)).Text(Answer));
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "timeout please");
        var conversation = Activities.ConversationId(activity);
        _bot.Teams.FailNext(r => r.ConversationId == conversation && r.StreamType == "streaming" && r.StreamSequence >= 3, 403,
            "ContentStreamNotAllowed", "Content stream finished due to exceeded streaming time.");

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Method == "PUT" && x.Text == Answer));

        var requests = _bot.Teams.Requests.Where(r => r.ConversationId == conversation).ToList();
        var streamId = requests.First(r => r.StreamInfo?["streamId"] is not null).StreamInfo!["streamId"]!.GetValue<string>();
        Assert.All(requests.Where(r => r.Method == "PUT"), r => Assert.Equal(streamId, r.ActivityId));
        Assert.DoesNotContain(requests, r => r.StreamType == "final");
    }

    [Fact]
    public async Task StreamingNotAllowedHere_TheAnswerIsSentAsANormalMessage()
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "no streaming");
        var conversation = Activities.ConversationId(activity);
        _bot.Teams.FailNext(r => r.ConversationId == conversation && r.IsStreamRequest, 403, "ContentStreamNotAllowed", "Content stream is not allowed",
            times: 100);

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && !x.IsStreamRequest && x.Text == "You said: no streaming"));

        Assert.DoesNotContain(_bot.Teams.Requests, r => r.ConversationId == conversation && r.IsStreamRequest && r.Succeeded);
    }

    [Fact]
    public async Task RedeliveredActivity_IsAnsweredOnce()
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "only once");
        var conversation = Activities.ConversationId(activity);

        await _bot.SendAsync(activity);
        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));
        var next = Activities.Personal(_bot.Teams.ServiceUrl, "sync");
        await _bot.SendAsync(next);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Activities.ConversationId(next) && x.StreamType == "final"));

        Assert.Single(_bot.OpenAI.ResponseRequests, r => r.UserText == "only once");
        Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation && r.StreamType == "final");
    }

    private static async Task<string?> WaitForResponseStatusAsync(TeamsHarness bot, string responseId, string expected)
    {
        using var http = new HttpClient { BaseAddress = bot.OpenAI.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", FakeOpenAIServer.ApiKey);
        string? status = null;
        for (var attempt = 0; attempt < 300 && status != expected; attempt++)
        {
            var body = await http.GetFromJsonAsync<JsonObject>($"responses/{responseId}");
            status = body?["status"]?.GetValue<string>();
            if (status != expected)
                await Task.Delay(100);
        }

        return status;
    }
}
