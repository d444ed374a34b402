using System.Text.Json.Nodes;
using Bot.Core.Moderation;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>
/// Moderation before a turn, end to end in Discord: the real SDK posts to the fake's /moderations, flagged input is
/// refused before anything reaches the assistant, recorded with its categories only, announced in the alert channel,
/// and the conversation goes on; a failing check fails open or closed as configured.
/// </summary>
public sealed class ModerationTests
{
    private const string AlertChannel = "1457510428359009999";
    private const string Secret = "the words nobody may log";

    private static Dictionary<string, string?> Enabled(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Moderation:Enabled"] = "true" };
        foreach (var (key, value) in more)
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Disabled_SendsNothingToModeration_AndAnswers()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var mention = bot.Mention($"{bot.OpenAI.Moderation.FlagMarker} hello");
        await bot.SendAsync(mention);

        var answer = Assert.Single(await bot.AnsweredAsync(mention));
        Assert.StartsWith("You said:", answer.Content, StringComparison.Ordinal);
        Assert.Empty(bot.OpenAI.Moderation.Requests);
        Assert.DoesNotContain(bot.OpenAI.RequestLog, r => r.Contains("moderations", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CleanText_IsCheckedWithTheConfiguredModelBeforeTheResponse_AndAnswered()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Enabled());
        var mention = bot.Mention("what is two and two");
        await bot.SendAsync(mention);

        Assert.EndsWith("what is two and two", Assert.Single(await bot.AnsweredAsync(mention)).Content, StringComparison.Ordinal);
        var check = Assert.Single(bot.OpenAI.Moderation.Requests);
        Assert.Equal("omni-moderation-latest", check.Model);
        Assert.Equal(["what is two and two"], check.Texts);
        var log = bot.OpenAI.RequestLog;
        Assert.True(IndexOf(log, "POST /v1/moderations") < IndexOf(log, "POST /v1/responses"), string.Join("\n", log));
        await bot.WaitUntilAsync(() => bot.InboxStatusOf(mention) == "Answered", "the inbox row of mention marked Answered"); // recorded just after the reply
    }

    [Fact]
    public async Task FlaggedText_IsRefusedBeforeTheAssistant_RecordedWithCategoriesOnly_Alerted_AndTheConversationGoesOn()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Enabled(("Moderation:AlertChannelId", AlertChannel)));
        var author = "1033044521375764530";
        var flagged = bot.Mention($"{bot.OpenAI.Moderation.FlagMarker} {Secret}", authorId: author);
        await bot.SendAsync(flagged);

        var refusal = Assert.Single(await bot.AnsweredAsync(flagged));
        Assert.Contains(ModerationGate.RefusedSentence, refusal.Content, StringComparison.Ordinal);
        Assert.Empty(bot.OpenAI.ResponseRequests);
        Assert.DoesNotContain(bot.OpenAI.RequestLog, r => r.Contains("/conversations", StringComparison.Ordinal) || r.Contains("/files", StringComparison.Ordinal));
        await bot.WaitUntilAsync(() => bot.InboxStatusOf(flagged) == "Refused", "the inbox row of flagged marked Refused"); // recorded just after the reply

        var stored = Assert.Single(await bot.Store.GetModerationEventsAsync("discord", author));
        Assert.Equal(["harassment", "harassment/threatening"], stored.Categories);
        Assert.Equal($"channel:{DiscordHarness.GuildChannel}", stored.ConversationId);
        Assert.Equal(1, await bot.Store.CountModerationEventsAsync("discord", author));

        // The notice: who and where as mentions that ping nobody, the categories, never the text.
        await bot.WaitUntilAsync(() => bot.Discord.MessagesIn(AlertChannel).Count > 0, "the moderation notice");
        var notice = Assert.Single(bot.Discord.MessagesIn(AlertChannel));
        Assert.Contains($"<@{author}>", notice.Content, StringComparison.Ordinal);
        Assert.Contains($"<#{DiscordHarness.GuildChannel}>", notice.Content, StringComparison.Ordinal);
        Assert.Contains("harassment/threatening", notice.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, notice.Content, StringComparison.Ordinal);
        Assert.Empty(notice.AllowedMentions!["parse"]!.AsArray());

        // The same conversation answers the next clean message.
        var next = bot.Mention("and now a normal question", authorId: author);
        await bot.SendAsync(next);
        Assert.EndsWith("and now a normal question", Assert.Single(await bot.AnsweredAsync(next)).Content, StringComparison.Ordinal);
        Assert.Single(bot.OpenAI.ResponseRequests);

        Assert.Contains(bot.AllLog.Entries, e => e.EventId.Id == 1230 && e.Message.Contains("harassment/threatening", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.AllLog.Entries, e => e.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FlaggedText_OnTheAssistantsBackend_IsRefusedWithoutAThreadOrRun_AndTheNextMessageIsAnswered()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Enabled(("OpenAI:Api", "Assistants")));
        var flagged = bot.Mention($"{bot.OpenAI.Moderation.FlagMarker} {Secret}");
        await bot.SendAsync(flagged);

        Assert.Contains(ModerationGate.RefusedSentence, Assert.Single(await bot.AnsweredAsync(flagged)).Content, StringComparison.Ordinal);
        Assert.Empty(bot.OpenAI.RunRequests);
        Assert.DoesNotContain(bot.OpenAI.RequestLog, r => r.StartsWith("POST /v1/threads", StringComparison.Ordinal));
        await bot.WaitUntilAsync(() => bot.InboxStatusOf(flagged) == "Refused", "the inbox row of flagged marked Refused"); // recorded just after the reply

        var next = bot.Mention("a clean one");
        await bot.SendAsync(next);
        Assert.EndsWith("a clean one", Assert.Single(await bot.AnsweredAsync(next)).Content, StringComparison.Ordinal);
        Assert.Single(bot.OpenAI.RunRequests);
        Assert.Equal(2, bot.OpenAI.Moderation.Requests.Count);
    }

    [Fact]
    public async Task CheckFailing_FailsOpenByDefault_TurnsGoOn_OneWarningForTheRunOfFailures()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Enabled());
        bot.OpenAI.FailNext("POST", "/moderations", 500, times: 1000);
        var first = bot.Mention("first while it is down");
        var second = bot.Mention("second while it is down");
        await bot.SendAsync(first);
        Assert.EndsWith("first while it is down", Assert.Single(await bot.AnsweredAsync(first)).Content, StringComparison.Ordinal);
        await bot.SendAsync(second);
        Assert.EndsWith("second while it is down", Assert.Single(await bot.AnsweredAsync(second)).Content, StringComparison.Ordinal);

        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
        Assert.Empty(bot.OpenAI.Moderation.Requests);
        Assert.Equal(1, bot.AllLog.Count(1231));
        Assert.DoesNotContain(bot.AllLog.Entries, e => e.Message.Contains("while it is down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckFailing_WithFailClosed_TellsTheUserItCouldNotBeChecked_AndSendsNothingOn()
    {
        await using var bot = await DiscordHarness.StartAsync(settings: Enabled(("Moderation:FailClosed", "true")));
        bot.OpenAI.FailNext("POST", "/moderations", 500, times: 1000);
        var mention = bot.Mention("is anyone there");
        await bot.SendAsync(mention);

        Assert.Contains(ModerationGate.NotCheckedSentence, Assert.Single(await bot.AnsweredAsync(mention)).Content, StringComparison.Ordinal);
        Assert.Empty(bot.OpenAI.ResponseRequests);
        await bot.WaitUntilAsync(() => bot.InboxStatusOf(mention) == "Failed", "the inbox row of mention marked Failed"); // recorded just after the reply
        Assert.Equal(1, bot.AllLog.Count(1232));
    }

    private static int IndexOf(IReadOnlyList<string> log, string prefix)
    {
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i].StartsWith(prefix, StringComparison.Ordinal))
                return i;
        }

        return int.MaxValue;
    }
}
