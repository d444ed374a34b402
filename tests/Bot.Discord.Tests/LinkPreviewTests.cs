using System.Text.Json.Nodes;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>
/// Link previews: Discord fetches every URL in a message to preview it, without anyone clicking, so the URLs a
/// model writes are not previewed (SUPPRESS_EMBEDS) unless Discord:LinkPreviews is on.
/// </summary>
public sealed class LinkPreviewTests
{
    private const int SuppressEmbeds = 4, Ephemeral = 64;

    // Over 2,000 characters (a continuation message), a URL in it, streamed over a few seconds (so that the growing text
    // is edited), and a generated file (an edit with an upload).
    private static FakeResponse Answer() => FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(10))
        .Text("See https://example.com/tracker?id=1 for details. " + string.Join(' ', Enumerable.Repeat("more", 420)))
        .CodeInterpreterFile("chart.png", [0x89, 0x50, 0x4E, 0x47]);

    [Fact]
    public async Task EveryMessageTheBotPostsOrEdits_CarriesSuppressEmbeds_ByDefault()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(Answer());
        var message = bot.Mention("where is the tracker?");
        await bot.SendAsync(message);
        var replies = await bot.AnsweredAsync(message);

        var writes = await WritesAsync(bot);
        Assert.True(writes.Count(r => r.Method == "POST") >= 2, "the answer was continued in a second message");
        Assert.Contains(writes, r => r.Method == "PATCH" && r.Body?["content"] is not null);
        Assert.Contains(writes, r => r.Method == "PATCH" && r.Files.Count > 0);
        Assert.Contains(writes, r => r.Method == "PATCH" && r.Body?["components"] is JsonArray { Count: 0 });
        Assert.All(writes, r => Assert.Equal(SuppressEmbeds, r.Body?["flags"]?.GetValue<int>()));
        Assert.Contains("https://example.com/tracker", replies[0].Content, StringComparison.Ordinal);
        Assert.All(replies, r => Assert.True(r.SuppressesEmbeds));
    }

    [Fact]
    public async Task CommandAnswers_StayEphemeral_AndCarrySuppressEmbeds()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var stop = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel);
        var reset = await Interactions.SendCommandAsync(bot, "reset", DiscordHarness.GuildChannel);

        var stopAnswer = await Interactions.AnsweredAsync(bot, stop);
        var resetAnswer = await Interactions.AnsweredAsync(bot, reset);
        Assert.Equal((4, Ephemeral | SuppressEmbeds), (stopAnswer.CallbackType, stopAnswer.Flags));
        // A deferred response may carry EPHEMERAL only; the edit that follows adds SUPPRESS_EMBEDS and keeps EPHEMERAL.
        Assert.Equal((5, Ephemeral), (resetAnswer.CallbackType, resetAnswer.CallbackData?["flags"]?.GetValue<int>()));
        await bot.WaitUntilAsync(() => bot.Discord.Interaction(reset["id"]!.GetValue<string>())!.Flags == (Ephemeral | SuppressEmbeds),
            "the /reset confirmation with SUPPRESS_EMBEDS");
    }

    [Fact]
    public async Task WithLinkPreviewsOn_NoMessageCarriesSuppressEmbeds()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.LinkPreviews = true);
        bot.OpenAI.Enqueue(Answer());
        var message = bot.Mention("where is the tracker?");
        await bot.SendAsync(message);
        var replies = await bot.AnsweredAsync(message);
        var stop = await Interactions.SendCommandAsync(bot, "stop", DiscordHarness.GuildChannel);

        var writes = await WritesAsync(bot);
        Assert.True(writes.Count >= 4, "posts and edits were made");
        Assert.All(writes, r => Assert.Null(r.Body?["flags"]));
        Assert.All(replies, r => Assert.False(r.SuppressesEmbeds));
        Assert.Equal(Ephemeral, (await Interactions.AnsweredAsync(bot, stop)).Flags);
    }

    // The bot's channel-message creates and edits that Discord accepted, once the last one (the Stop button's removal) is
    // on record: the fake records a request after answering it, so an answered reply can be a step ahead of the record.
    private static async Task<List<FakeRestRequest>> WritesAsync(DiscordHarness bot)
    {
        List<FakeRestRequest> Writes() =>
        [
            .. bot.Discord.Requests.Where(r => r.Status == 200 && r.Route is "POST /channels/:id/messages" or "PATCH /channels/:id/messages/:id"),
        ];
        await bot.WaitUntilAsync(() => Writes().Any(r => r.Method == "PATCH" && r.Body?["components"] is JsonArray { Count: 0 }),
            "the Stop button's removal on record");
        return Writes();
    }
}
