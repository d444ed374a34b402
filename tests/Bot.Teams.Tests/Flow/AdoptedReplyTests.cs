using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Teams.Adapter;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// A personal-chat reply finished after a restart: the stream of the earlier process is gone with it, so the writer that
/// adopts its message updates it with PUT (the final text included) and opens no new stream.
/// </summary>
public sealed class AdoptedReplyTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task A_writer_that_adopts_an_earlier_message_updates_it_with_PUT_and_opens_no_stream()
    {
        const string conversation = "a:adopted-reply";
        var live = ReplySnapshot.Empty with { Parts = [new ReplyTextPart("Half of the", [])] };
        var posted = await Writer(conversation).PostAsync(new ReplyMessage("Half of the", 0, live));
        var before = _bot.Teams.Requests.Count(r => r.ConversationId == conversation);

        var writer = Writer(conversation);
        writer.Adopt([posted.MessageId!]);
        await writer.ShowStatusAsync(new ToolStatus(ToolKind.WebSearch));
        var final = live with { Parts = [new ReplyTextPart("Half of the answer.", [])], Ending = ReplyEnding.Completed, IsFinal = true };
        await writer.EditAsync(posted.MessageId!, new ReplyMessage("Half of the answer.", 0, final));
        await writer.CompleteAsync(final);

        var after = _bot.Teams.Requests.Where(r => r.ConversationId == conversation).Skip(before).ToList();
        var update = Assert.Single(after);
        Assert.Equal(("PUT", posted.MessageId, "Half of the answer.", false), (update.Method, update.ActivityId, update.Text, update.IsStreamRequest));
    }

    private IReplyWriter Writer(string conversation)
    {
        var address = new ReplyAddress(_bot.Teams.ServiceUrl, conversation, "1767326091220", Scopes.Personal, $"28:{Bot.Testing.Teams.FakeTeamsServer.AppId}",
            "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
        return _bot.Services.GetRequiredService<TeamsChannel>().CreateReplyWriter(address.Serialize());
    }
}
