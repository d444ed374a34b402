using System.Text.Json.Nodes;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Core.Tools.Approvals;
using Bot.Teams.Adapter;
using Bot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// Approval questions in Teams: an Adaptive Card with Approve and Deny, whose clicks come back through /api/messages as
/// message activities with a value; only the asker (or an admin of Teams:AdminUserIds) decides, once, before it expires,
/// and no click ever reaches the assistant.
/// </summary>
public sealed class ApprovalCardTests : IAsyncLifetime
{
    private const string Alice = "29:alice", Bob = "29:bob", Carol = "29:carol";
    private const string AdminObjectId = "7d9c6a0e-53b1-4c5b-a1d4-2f0e8b7c9a61", BobObjectId = "11111111-2222-3333-4444-555555555555";

    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:AdminUserIds:0"] = AdminObjectId.ToUpperInvariant() });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Question_IsAnAdaptiveCard_WithTextRunsAndTwoSubmitActionsCarryingThePromptId()
    {
        var conversation = NewChannelThread();
        var writer = Writer(conversation, Scopes.Channel);
        var hostile = "{\"q\":\"**bold** [x](https://evil.example) {{DATE(2017-02-14T06:08:00Z)}} \u202Egnp.exe\"}";
        var prompt = Broker.Open(new ApprovalQuestion("github", "create_issue", hostile), Alice, TimeSpan.FromMinutes(5));

        Assert.True(writer.CanAskApproval);
        await writer.AskApprovalAsync(prompt);

        var sent = Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation);
        Assert.Equal(("POST", "message", null, 201), (sent.Method, sent.Type, sent.Text, sent.Status));
        var attachment = Assert.Single(sent.Attachments);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        Assert.Equal(("AdaptiveCard", "1.4"), (card["type"]!.GetValue<string>(), card["version"]!.GetValue<string>()));
        // Text runs show text as written (a TextBlock would run Markdown); "{{" no longer starts a template function.
        var runs = Runs(card);
        Assert.Equal("Allow github to run create_issue?", runs[0]);
        Assert.Contains("**bold** [x](https://evil.example)", runs[1], StringComparison.Ordinal);
        Assert.DoesNotContain("{{", runs[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", runs[1], StringComparison.Ordinal);
        Assert.All(card["body"]!.AsArray(), block => Assert.Equal("RichTextBlock", block!["type"]!.GetValue<string>()));

        var actions = card["actions"]!.AsArray().Select(a => (a!["type"]!.GetValue<string>(), a["title"]!.GetValue<string>(),
            a["data"]!["approval"]!.GetValue<string>(), a["data"]!["approve"]!.GetValue<bool>())).ToList();
        Assert.Equal([("Action.Submit", "Approve", prompt.Id, true), ("Action.Submit", "Deny", prompt.Id, false)], actions);
    }

    [Fact]
    public async Task SubmitByTheAsker_DecidesTheQuestion_AndSettlingUpdatesTheCardToItsOutcome()
    {
        var conversation = NewChannelThread();
        var writer = Writer(conversation, Scopes.Channel);
        var (prompt, cardId) = await AskAsync(writer, conversation);
        var decision = Broker.WaitAsync(prompt);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: true, Alice));
        await writer.SettleApprovalAsync(prompt, await Decided(decision));

        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
        var update = Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation && r.Method == "PUT");
        Assert.Equal(cardId, update.ActivityId);
        var card = Assert.Single(update.Attachments)["content"]!;
        Assert.Null(card["actions"]);
        Assert.Equal("Approved.", Runs(card)[^1]);
        await AssertNothingReachedTheAssistantAsync();
    }

    [Fact]
    public async Task SubmitBySomeoneElse_GetsAShortRefusal_AndLeavesTheQuestionOpenForTheAsker()
    {
        var conversation = NewChannelThread();
        var (prompt, _) = await AskAsync(Writer(conversation, Scopes.Channel), conversation);
        var decision = Broker.WaitAsync(prompt);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: true, Bob, BobObjectId));
        await WaitForReplyAsync(conversation, ApprovalAnswerResult.NotYours);
        Assert.False(decision.IsCompleted);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: false, Alice));
        Assert.Equal(ApprovalDecision.Denied, await Decided(decision));
        await AssertNothingReachedTheAssistantAsync();
    }

    [Fact]
    public async Task SubmitByAnAdmin_DecidesSomeoneElsesQuestion()
    {
        var conversation = NewChannelThread();
        var (prompt, _) = await AskAsync(Writer(conversation, Scopes.Channel), conversation);
        var decision = Broker.WaitAsync(prompt);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: false, Carol, AdminObjectId));

        Assert.Equal(ApprovalDecision.Denied, await Decided(decision));
    }

    [Fact]
    public async Task SecondSubmit_IsAnsweredAlreadyAnswered_AndTheFirstAnswerStands()
    {
        var conversation = NewChannelThread();
        var (prompt, _) = await AskAsync(Writer(conversation, Scopes.Channel), conversation);
        var decision = Broker.WaitAsync(prompt);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: true, Alice));
        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: false, Alice));
        await WaitForReplyAsync(conversation, ApprovalAnswerResult.AlreadyAnswered);

        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
        // The click that decided got no message of its own: the one text sent is the answer to the second.
        Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation && r.Text is not null);
    }

    [Fact]
    public async Task SubmitAfterTheTimeout_IsAnsweredExpired()
    {
        var conversation = NewChannelThread();
        var writer = Writer(conversation, Scopes.Channel);
        var prompt = Broker.Open(new ApprovalQuestion("github", "delete_repo", "{}"), Alice, TimeSpan.Zero);
        await writer.AskApprovalAsync(prompt);
        var decision = await Broker.WaitAsync(prompt);
        await writer.SettleApprovalAsync(prompt, decision);

        await _bot.SendAsync(Submit(conversation, prompt.Id, approve: true, Alice));

        await WaitForReplyAsync(conversation, ApprovalAnswerResult.Expired);
        Assert.Equal(ApprovalDecision.TimedOut, decision);
        var update = Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation && r.Method == "PUT");
        Assert.Equal("No answer in time: denied.", Runs(Assert.Single(update.Attachments)["content"]!)[^1]);
    }

    [Fact]
    public async Task SubmitValuesThatAreNotOurs_AreIgnored_AndMalformedOnesGetAShortReply_NeitherReachesTheAssistant()
    {
        var conversation = NewChannelThread();
        var foreign = _bot.Fixture("message_card_action_submit.json", conversation); // value {"actionId":"info"}, no text
        var malformed = Submit(conversation, "x", approve: true, Alice);
        malformed["value"] = new JsonObject { ["approval"] = 42, ["approve"] = "yes" };
        malformed["text"] = "please approve";

        await _bot.SendAsync(foreign);
        await _bot.SendAsync(malformed);

        await WaitForReplyAsync(conversation, ApprovalAnswerResult.Expired);
        Assert.Single(_bot.Teams.Requests, r => r.ConversationId == conversation);
        await AssertNothingReachedTheAssistantAsync();
    }

    [Fact]
    public async Task PersonalChat_AQuestionAskedMidStream_LeavesTheStreamIntact_AndTheAnswerCompletesNormally()
    {
        var conversation = $"a:test-{Guid.NewGuid():N}";
        var writer = Writer(conversation, Scopes.Personal);
        var live = ReplySnapshot.Empty with { Parts = [new ReplyTextPart("Let me look that up.", [])] };
        await writer.StartTypingAsync();
        var posted = await writer.PostAsync(new ReplyMessage("Let me look that up.", 0, live));

        var (prompt, cardId) = await AskAsync(writer, conversation);
        var decision = Broker.WaitAsync(prompt);
        var submit = Submit(conversation, prompt.Id, approve: true, Alice);
        submit["conversation"]!["conversationType"] = Scopes.Personal;
        submit["conversation"]!.AsObject().Remove("isGroup");
        await _bot.SendAsync(submit);
        await writer.SettleApprovalAsync(prompt, await Decided(decision));

        const string Answer = "Let me look that up. The issue is filed.";
        var final = live with { Parts = [new ReplyTextPart(Answer, [])], IsFinal = true };
        await writer.EditAsync(posted.MessageId!, new ReplyMessage(Answer, 0, live with { Parts = final.Parts }));
        await writer.CompleteAsync(final);

        var requests = _bot.Teams.Requests.Where(r => r.ConversationId == conversation).ToList();
        Assert.All(requests, r => Assert.True(r.Succeeded, FakeTeamsServer.Describe(r)));
        var stream = requests.Where(r => r.IsStreamRequest).ToList();
        Assert.Equal(["informative", "streaming", "streaming", "final"], stream.Select(r => r.StreamType));
        Assert.Equal([1, 2, 3], stream.Where(r => r.StreamSequence is not null).Select(r => r.StreamSequence!.Value));
        Assert.Equal(Answer, stream[^1].Text);
        Assert.All(stream.Skip(1), r => Assert.Equal(posted.MessageId, r.StreamInfo!["streamId"]!.GetValue<string>()));
        // The card and its update are ordinary messages beside the stream; the click opened no stream of its own.
        Assert.NotEqual(posted.MessageId, cardId);
        Assert.Equal([("POST", null), ("PUT", cardId)], requests.Where(r => !r.IsStreamRequest).Select(r => (r.Method, r.ActivityId)));
        Assert.Equal(ApprovalDecision.Approved, await Decided(decision));
        await AssertNothingReachedTheAssistantAsync();
    }

    private ApprovalBroker Broker => _bot.Services.GetRequiredService<ApprovalBroker>();

    private static string NewChannelThread() => $"19:test-{Guid.NewGuid():N}@thread.tacv2;messageid=1767326091220";

    // A reply writer as the core gets it for a message in this conversation.
    private IReplyWriter Writer(string conversation, string scope)
    {
        var address = new ReplyAddress(_bot.Teams.ServiceUrl, conversation, "1767326091220", scope, $"28:{FakeTeamsServer.AppId}",
            "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
        return _bot.Services.GetRequiredService<TeamsChannel>().CreateReplyWriter(address.Serialize());
    }

    private async Task<(ApprovalPrompt Prompt, string CardId)> AskAsync(IReplyWriter writer, string conversation)
    {
        var prompt = Broker.Open(new ApprovalQuestion("github", "create_issue", """{"title":"Bug"}"""), Alice, TimeSpan.FromMinutes(5));
        await writer.AskApprovalAsync(prompt);
        var card = _bot.Teams.Requests.Last(r => r.ConversationId == conversation && r.Attachments.Any());
        return (prompt, card.ResponseId!);
    }

    // The recorded card click (a message activity with a value and no text), from this user, in this conversation.
    private JsonObject Submit(string conversation, string promptId, bool approve, string from, string? objectId = null)
    {
        var submit = _bot.Fixture("message_card_action_submit.json", conversation);
        submit["value"] = new JsonObject { ["approval"] = promptId, ["approve"] = approve };
        submit["from"]!["id"] = from;
        submit["from"]!["aadObjectId"] = objectId ?? Guid.NewGuid().ToString();
        return submit;
    }

    private Task WaitForReplyAsync(string conversation, ApprovalAnswerResult result) =>
        _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Text == ApprovalTexts.AnswerReply(result)));

    private async Task AssertNothingReachedTheAssistantAsync()
    {
        Assert.Empty(await _bot.InboxAsync());
        Assert.Empty(_bot.OpenAI.ResponseRequests);
    }

    // The click was handled before its response came back, so the decision is there; a missing one fails the test, not hangs it.
    private static Task<ApprovalDecision> Decided(Task<ApprovalDecision> decision) => decision.WaitAsync(TimeSpan.FromSeconds(30));

    private static List<string> Runs(JsonNode card) =>
        [.. card["body"]!.AsArray().SelectMany(block => block!["inlines"]!.AsArray()).Select(run => run!["text"]!.GetValue<string>())];
}
