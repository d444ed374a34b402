using System.Net;
using System.Text.Json.Nodes;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>Group chats and channels: the mention removed, send then paced updates, one welcome, invokes, commands.</summary>
public sealed class GroupAndChannelTests : IAsyncLifetime
{
    private const string Answer = "In a channel the bot posts its answer once and then updates that same message as more text arrives from the model.";

    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ChannelMention_IsAnsweredInItsReplyChain_BySendThenPacedUpdates()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(150)).Text(Answer));
        var activity = _bot.Fixture("channel_message_at_mention.json");
        var conversation = Activities.ConversationId(activity);
        Assert.Contains(";messageid=", conversation, StringComparison.Ordinal);

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Text == Answer));

        Assert.Equal("rido: reply to thread", Assert.Single(_bot.OpenAI.ResponseRequests).UserText);
        var writes = _bot.Teams.Requests.Where(r => r.ConversationId == conversation && r.Type == "message").ToList();
        Assert.DoesNotContain(writes, r => r.IsStreamRequest);
        Assert.Equal("POST", writes[0].Method);
        var updates = writes.Skip(1).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal(("PUT", writes[0].ActivityId ?? IdOf(writes[0])), (u.Method, u.ActivityId)));
        for (var i = 1; i < writes.Count; i++)
            Assert.True(writes[i].At - writes[i - 1].At >= TimeSpan.FromMilliseconds(1400), "updates are paced");
        Assert.Equal(0, _bot.Teams.Throttled);
    }

    [Fact]
    public async Task RecordedChannelRequest_HasItsMentionRemoved()
    {
        var activity = _bot.Fixture("bf_request_channel_message_mention_with_jwt.recording.json");

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Activities.ConversationId(activity) && x.Type == "message"));

        Assert.Equal("Dave Taniguchi: https://foo.com", Assert.Single(_bot.OpenAI.ResponseRequests).UserText);
    }

    [Fact]
    public async Task GroupChat_IsAnsweredWithoutStreaming_AndTheAuthorNamed()
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "what is 2+2?");
        Activities.InGroupChat(activity, "19:444d246d19234aab86db1a0cb3d13cb8@thread.v2", "72f988bf-86f1-41af-91ab-2d7cd011db47");

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == "19:444d246d19234aab86db1a0cb3d13cb8@thread.v2" && x.Type == "message"));

        Assert.Equal("Tien Suwandy: what is 2+2?", Assert.Single(_bot.OpenAI.ResponseRequests).UserText);
        Assert.DoesNotContain(_bot.Teams.Requests, r => r.IsStreamRequest);
    }

    [Fact]
    public async Task ImagePastedInAChannel_GetsANote_AndTheTextIsStillAnswered()
    {
        var activity = _bot.Fixture("channel_message_at_mention.json");
        var image = JsonNode.Parse(File.ReadAllText(Bot.Testing.Fixtures.Path("teams", "attachment_inline_image_docs.json")))!.AsObject();
        image["contentUrl"] = _bot.Teams.AddInlineImage("channel-image", [1, 2, 3]).AbsoluteUri;
        activity["attachments"]!.AsArray().Add(image);
        var conversation = Activities.ConversationId(activity);

        await _bot.SendAsync(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Text == "You said: rido: reply to thread"));

        Assert.Contains(_bot.Teams.Requests, r => r.ConversationId == conversation && r.Text?.StartsWith("📎 I can only read files", StringComparison.Ordinal) == true);
        Assert.Empty(_bot.Teams.Downloads);
        Assert.Empty(Assert.Single(_bot.OpenAI.ResponseRequests).InputImageFileIds);
    }

    [Fact]
    public async Task BotAddedToATeam_PostsOneWelcome_AndAnotherMemberJoiningPostsNone()
    {
        var added = _bot.Fixture("conversation_update_bot_added_to_team.json");
        var userJoined = _bot.Fixture("group_chat_conversation_update_members_added.json");

        await _bot.SendAsync(added);
        await _bot.SendAsync(added); // Teams re-sends
        await _bot.SendAsync(userJoined);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.Text?.Contains("reset", StringComparison.Ordinal) == true));
        await SyncAsync();

        var welcome = Assert.Single(_bot.Teams.Requests, r => r.Text?.Contains("**reset**", StringComparison.Ordinal) == true);
        Assert.Equal(Activities.ConversationId(added), welcome.ConversationId);
        Assert.DoesNotContain(_bot.Teams.Requests, r => r.ConversationId == Activities.ConversationId(userJoined));
        Assert.Single(_bot.OpenAI.ResponseRequests); // only the sync message
    }

    [Fact]
    public async Task AdaptiveCardAction_IsAnswered200WithAMessage_AndOtherInvokes501()
    {
        var card = await _bot.SendAsync(_bot.Fixture("invoke_adaptive_card_action_execute.json"));
        var body = JsonNode.Parse(await card.Content.ReadAsStringAsync())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());

        var extension = await _bot.PostAsync(_bot.Fixture("invoke_compose_extension_fetch_task.json"), _bot.Teams.CreateToken());
        Assert.Equal(HttpStatusCode.NotImplemented, extension.StatusCode);

        await _bot.SendAsync(_bot.Fixture("message_card_action_submit.json"));
        await _bot.SendAsync(_bot.Fixture("installation_update_add_team.json"));
        await SyncAsync();
        Assert.Single(_bot.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task Reset_StartsANewRemoteConversation()
    {
        var conversation = $"a:reset-{Guid.NewGuid():N}";
        await AskAsync(conversation, "remember 7");
        await _bot.SendAsync(Activities.FromFixture("personal_message.json", _bot.Teams.ServiceUrl, conversation, "/reset"));
        await _bot.SendAsync(Activities.FromFixture("personal_message.json", _bot.Teams.ServiceUrl, conversation, "reset"));
        await _bot.Teams.WaitUntilAsync(r => r.Count(x => x.ConversationId == conversation && x.Text?.StartsWith("🔄", StringComparison.Ordinal) == true) == 2);
        await AskAsync(conversation, "what did I say?");

        var requests = _bot.OpenAI.ResponseRequests;
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(requests[0].ConversationId, requests[1].ConversationId);
        Assert.Contains(requests[0].ConversationId!, _bot.OpenAI.Ledger.DeletedConversations);
    }

    [Fact]
    public async Task StopCommand_CancelsTheRunningAnswer()
    {
        _bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(300)).Text(Answer + " " + Answer + " " + Answer));
        var conversation = $"a:stop-{Guid.NewGuid():N}";
        await _bot.SendAsync(Activities.FromFixture("personal_message.json", _bot.Teams.ServiceUrl, conversation, "go on and on"));
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "streaming"));

        await _bot.SendAsync(Activities.FromFixture("personal_message.json", _bot.Teams.ServiceUrl, conversation, "stop"));

        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));
        var final = _bot.Teams.Requests.Single(x => x.ConversationId == conversation && x.StreamType == "final");
        Assert.EndsWith("⏹️ Stopped.", final.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Answer + " " + Answer + " " + Answer, final.Text, StringComparison.Ordinal);
    }

    private async Task AskAsync(string conversation, string text)
    {
        var before = _bot.Teams.Requests.Count(x => x.ConversationId == conversation && x.StreamType == "final");
        await _bot.SendAsync(Activities.FromFixture("personal_message.json", _bot.Teams.ServiceUrl, conversation, text));
        await _bot.Teams.WaitUntilAsync(r => r.Count(x => x.ConversationId == conversation && x.StreamType == "final") > before);
    }

    private Task SyncAsync() => AskAsync($"a:sync-{Guid.NewGuid():N}", "sync");

    private string? IdOf(ConnectorRequest post) =>
        _bot.Teams.Requests.FirstOrDefault(r => r.Method == "PUT" && r.ConversationId == post.ConversationId)?.ActivityId;
}
