using System.Text.Json.Nodes;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// <c>usage</c> as an Adaptive Card, the budget refusal as Teams shows it, and the place rules: a channel answers
/// messages without the bot's mention only with ReplyMode All, and a place's AllowedUserIds silences everyone else.
/// </summary>
public sealed class UsageAndPlaceTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Teams:AdminUserIds:0"] = SettingsCommandTests.ChannelUserObjectId,
            ["Budgets:PerUserDailyTokens"] = "30",
        });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Usage_AfterATurn_IsAValidAdaptiveCard_WithTheUsersNumbers_AndNoTurn()
    {
        var chat = $"a:usage-{Guid.NewGuid():N}";
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Paris.").Usage(15, 6));
        var question = _bot.Fixture("personal_message.json", chat, "capital of France?");
        await _bot.AskAsync(question);
        await UsageRecordedAsync(question["from"]!["id"]!.GetValue<string>()); // just after the answer is delivered

        var reply = await _bot.ReplyOfAsync(_bot.Fixture("personal_message.json", chat, "/usage"));

        var card = AssertAdaptiveCard(reply);
        var facts = Facts(card);
        Assert.Equal("21 tokens in 1 turn", facts["Today"]);
        Assert.Equal("9 of 30 left", facts["Left today"]);
        Assert.Matches(@"^00:00 UTC \(in [0-9 hmins]+\)$", facts["Resets"]);
        Assert.Equal("21 tokens in 1 turn", facts["This month"]);
        Assert.Equal("no limit", facts["Left this month"]);
        Assert.DoesNotContain(card["body"]!.AsArray(), b => b!.ToJsonString().Contains("Top users", StringComparison.Ordinal));
        Assert.Single(_bot.OpenAI.ResponseRequests); // the command was no turn
    }

    [Fact]
    public async Task Usage_ForAnAdmin_AddsThePlacesTotals()
    {
        var reply = await _bot.ReplyOfAsync(_bot.Fixture("channel_message_at_mention.json", text: "<at>ridotest</at> usage"));

        var card = AssertAdaptiveCard(reply);
        var runs = card["body"]!.AsArray().Select(b => b!["inlines"]?[0]?["text"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.Contains($"Team {SettingsCommandTests.Team}", runs);
        Assert.Equal(2, card["body"]!.AsArray().Count(b => b!["type"]!.GetValue<string>() == "FactSet"));
    }

    [Fact]
    public async Task BudgetRefusal_IsTheAnswerTeamsShows_AndTheAssistantIsNotAsked()
    {
        var chat = $"a:budget-{Guid.NewGuid():N}";
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text("First.").Usage(25, 6));
        await _bot.AskAsync(_bot.Fixture("personal_message.json", chat, "one"));

        await _bot.AskAsync(_bot.Fixture("personal_message.json", chat, "two"));

        var final = _bot.Teams.Requests.Last(r => r.ConversationId == chat && r.StreamType == "final");
        Assert.Matches(@"^You've used your daily budget of 30 tokens; it resets at 00:00 UTC \(in [0-9 hmins]+\)\.$", final.Text);
        Assert.Single(_bot.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task ChannelMessageWithoutMention_IsIgnored_UntilAnAdminSetsReplyModeAll()
    {
        var unmentioned = Unmentioned("is anyone there?");
        await _bot.SendAsync(unmentioned);
        await _bot.AssertNothingStartedAsync(unmentioned);

        var set = await _bot.ReplyOfAsync(_bot.Fixture("channel_message_at_mention.json", text: "<at>ridotest</at> settings set ReplyMode All"));
        var answered = Unmentioned("and now?");
        var conversation = Activities.ConversationId(answered);
        var before = _bot.Teams.Requests.Count(r => r.ConversationId == conversation && r.Type == "message");
        await _bot.SendAsync(answered);
        await _bot.Teams.WaitUntilAsync(r => r.Count(x => x.ConversationId == conversation && x.Type == "message") > before);

        Assert.Equal("`ReplyMode` is now `All` here.", set.Text);
        Assert.Contains(_bot.OpenAI.ResponseRequests, r => r.UserText == "rido: and now?");
    }

    [Fact]
    public async Task AllowedUserIds_SilencesEveryoneElse_ButAdminsKeepTheirCommands()
    {
        var set = await _bot.ReplyOfAsync(_bot.Fixture("channel_message_at_mention.json",
            text: "<at>ridotest</at> settings set AllowedUserIds 11111111-2222-3333-4444-555555555555"));
        // Another thread of the same channel: the channel's setting holds in every thread.
        var stranger = SettingsCommandTests.Stranger(_bot.Fixture("channel_message_at_mention.json",
            SettingsCommandTests.Channel["teams:".Length..] + ";messageid=42", "<at>ridotest</at> hello from outside"));
        await _bot.SendAsync(stranger);
        await _bot.AssertNothingStartedAsync(stranger);

        var adminCommand = await _bot.ReplyOfAsync(_bot.Fixture("channel_message_at_mention.json", text: "<at>ridotest</at> settings clear AllowedUserIds"));

        Assert.Equal("`AllowedUserIds` is now `11111111-2222-3333-4444-555555555555` here.", set.Text);
        Assert.StartsWith("`AllowedUserIds` is cleared here", adminCommand.Text, StringComparison.Ordinal);
    }

    private async Task UsageRecordedAsync(string userId)
    {
        var ledger = _bot.Services.GetRequiredService<IUsageLedger>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await ledger.GetUserUsageAsync("teams", userId, DateOnly.FromDateTime(DateTime.UtcNow))).DayTurns == 0)
            await Task.Delay(20, timeout.Token);
    }

    private JsonObject Unmentioned(string text)
    {
        var activity = _bot.Fixture("channel_message_at_mention.json", text: text);
        activity["entities"] = new JsonArray();
        return activity;
    }

    // The shape Teams requires of an Adaptive Card attachment, and nothing the schema does not know.
    private static JsonObject AssertAdaptiveCard(ConnectorRequest reply)
    {
        var attachment = Assert.Single(reply.Attachments);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!.AsObject();
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.4", card["version"]!.GetValue<string>());
        foreach (var element in card["body"]!.AsArray())
        {
            var type = element!["type"]!.GetValue<string>();
            Assert.Contains(type, new[] { "TextBlock", "FactSet", "RichTextBlock" });
            if (type == "FactSet")
                Assert.All(element["facts"]!.AsArray(), f => Assert.True(f!["title"] is JsonValue && f["value"] is JsonValue));
            if (type == "TextBlock")
                Assert.False(string.IsNullOrEmpty(element["text"]!.GetValue<string>()));
        }

        Assert.Null(reply.Text);
        return card;
    }

    private static Dictionary<string, string> Facts(JsonObject card) =>
        card["body"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "FactSet").Take(1)
            .SelectMany(b => b!["facts"]!.AsArray())
            .ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());
}
