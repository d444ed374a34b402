using Bot.Teams.Replies;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// Issue 10, point 4: model text that merely looks like a footnote list ("[١] …", "[99999999999] …") is the model's
/// own text: it is delivered as written, with no citation entity, and nothing throws.
/// </summary>
public sealed class CitationTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("[١] report.pdf")]               // an Arabic-Indic digit: \d matched it, int.Parse did not
    [InlineData("[99999999999] report.pdf")]     // past int.MaxValue
    [InlineData("[1] notes.txt\n[٢] report.pdf")] // one good line does not make the list ours
    public async Task FootnoteLookalikes_InModelText_AreDeliveredUnchanged(string footnotes)
    {
        var text = "Here is the answer.\n\n" + footnotes;
        _bot.OpenAI.Enqueue(FakeResponse.Stream().Text(text));
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "cite something");

        await _bot.AskAsync(activity);

        var final = _bot.Teams.Requests.Single(r => r.ConversationId == Activities.ConversationId(activity) && r.StreamType == "final");
        Assert.True(final.Succeeded);
        Assert.Equal(text, final.Text);
        Assert.Empty(final.OtherEntities);
    }

    [Theory]
    [InlineData("Answer\n\n[١] report.pdf")]
    [InlineData("Answer\n\n[99999999999] report.pdf")]
    [InlineData("Answer\n\n[0] report.pdf")]
    public void Citations_LeaveLookalikesAlone(string text) => Assert.Equal((text, null), OutgoingActivities.Citations(text));

    [Fact]
    public void Citations_StillTurnTheCoreFootnoteListIntoAnEntity()
    {
        var (text, entity) = OutgoingActivities.Citations("Answer [1] and [2].\n\n[1] a.pdf\n[2] b.pdf");

        Assert.Equal("Answer [1] and [2].", text);
        Assert.Equal([1, 2], entity!["citation"]!.AsArray().Select(c => c!["position"]!.GetValue<int>()));
    }
}
