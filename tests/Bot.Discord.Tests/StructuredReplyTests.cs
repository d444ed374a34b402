using System.Text.Json.Nodes;
using Bot.Core.Storage;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>
/// The reply is laid out from its structure (issue 11): the model's text arrives exactly as written, footnotes come only
/// from real citations, and the Stop button only sits on a live answer.
/// </summary>
public sealed class StructuredReplyTests
{
    [Fact]
    public async Task ModelReferenceListAndItalicEnding_ArriveExactlyAsWritten()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding));

        var message = bot.Mention("what do studies say?");
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Equal(ModelText.ReferenceListAndItalicEnding, reply.Content);
        Assert.False(reply.HasStopButton);
    }

    [Fact]
    public async Task ARealFileCitation_GetsAMarkerAndTheOnlyFootnote()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.File("file-abc", "q3-report.pdf", ModelText.CitedIndex)));

        var message = bot.Mention("what do studies say?");
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Equal(ModelText.ReferenceListAndItalicEnding.Insert(ModelText.CitedIndex, "[1]") + "\n\n[1] q3-report.pdf", reply.Content);
    }

    [Fact]
    public async Task AWebCitation_IsANumberedMaskedLinkWithItsTitle_AndNoPreview()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.Url("https://example.com/smith-2020", "Smith [2020]", 0, ModelText.CitedIndex)));

        var message = bot.Mention("what do studies say?");
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Equal(ModelText.ReferenceListAndItalicEnding.Insert(ModelText.CitedIndex, "[1]") + "\n\n[1] [Smith \\[2020\\]](<https://example.com/smith-2020>)",
            reply.Content);
        Assert.True(reply.SuppressesEmbeds);
    }

    [Fact]
    public async Task AfterACrashDuringAnAnswer_TheRestartNotice_CarriesNoStopButton_WhereTheLiveAnswerHadOne()
    {
        // Plain streaming: nothing at the service outlives the crash, so the answer is lost and the user told (a background
        // response is finished into the same message instead: AdoptedReplyTests, DiscordResumeTests).
        await using var bot = await DiscordHarness.StartAsync(settings: new Dictionary<string, string?> { ["OpenAI:Background"] = "false" });
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400))));
        var message = bot.Mention("tell me a long story");
        await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => bot.RepliesTo(message) is [{ HasStopButton: true }], "the live answer with its Stop button");

        await bot.RestartAfterCrashAsync();

        var replies = await RepliesAsync(bot, message, 2, "the restarted bot's notice");
        var notice = replies[1];
        Assert.StartsWith("⚠️ I was restarted while answering your last message", notice.Content, StringComparison.Ordinal);
        // Not just gone by the end: no write of the notice, its creation or an edit, ever carried the button.
        var writes = bot.Discord.Requests.Where(r =>
            (r.Route == "POST /channels/:id/messages" && r.Body?["content"]?.GetValue<string>() == notice.Content) ||
            (r.Route == "PATCH /channels/:id/messages/:id" && r.Path.EndsWith("/" + notice.Id, StringComparison.Ordinal))).ToList();
        Assert.Contains(writes, w => w.Route.StartsWith("POST", StringComparison.Ordinal));
        Assert.All(writes, w => Assert.DoesNotContain("\"Stop\"", w.Body?["components"]?.ToJsonString() ?? "", StringComparison.Ordinal));
        Assert.Empty(notice.Components);
        Assert.Equal(TurnStatus.Interrupted, (await bot.Store.GetTurnAsync(1))?.Status);
        Assert.Single(bot.OpenAI.ResponseRequests); // the lost answer is not asked for again
    }

    // Every message the bot posted as a reply to `message` (a restarted bot replies afresh), once there are `count`.
    private static async Task<IReadOnlyList<FakeMessage>> RepliesAsync(DiscordHarness bot, JsonObject message, int count, string what)
    {
        var channel = message["channel_id"]!.GetValue<string>();
        var id = message["id"]!.GetValue<string>();
        await bot.WaitUntilAsync(() => bot.Discord.MessagesIn(channel).Count(m => m.ReplyTo == id) >= count, what);
        return [.. bot.Discord.MessagesIn(channel).Where(m => m.ReplyTo == id)];
    }
}
