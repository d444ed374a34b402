using Bot.Testing.OpenAI;
using Bot.Web.Threads;

namespace Bot.Web.Tests.Api;

/// <summary>
/// The page gets the reply as JSON (issue 11): the model's text exactly as written, the cited sources as a list of
/// their own (only real citations), the status apart.
/// </summary>
public sealed class StructuredReplyTests
{
    [Fact]
    public async Task ModelReferenceListAndItalicEnding_ArriveAsWritten_WithNoSources()
    {
        var final = await AskAsync(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding));

        Assert.Equal(ModelText.ReferenceListAndItalicEnding, final.Text);
        Assert.Null(final.Citations);
    }

    [Fact]
    public async Task ARealFileCitation_IsAMarkerInTheText_AndASourceInTheJson()
    {
        var final = await AskAsync(FakeResponse.Stream().Text(ModelText.ReferenceListAndItalicEnding,
            FakeCitation.File("file-abc", "q3-report.pdf", ModelText.CitedIndex)));

        Assert.Equal(ModelText.ReferenceListAndItalicEnding.Insert(ModelText.CitedIndex, "[1]"), final.Text);
        Assert.Equal([new WebCitation(1, "file", "q3-report.pdf")], final.Citations!);
    }

    private static async Task<WebMessage> AskAsync(FakeResponse answer)
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(answer);
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await events.WaitForAsync("sync");

        await visitor.SendOkAsync(thread, "what do studies say?");
        await events.WaitForAsync("done");

        return (await visitor.HistoryAsync(thread)).Messages.Last(m => m.Role == WebMessage.Assistant);
    }
}
