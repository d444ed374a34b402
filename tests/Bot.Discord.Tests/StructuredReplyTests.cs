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
}
