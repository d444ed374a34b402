using System.Text.Json.Nodes;
using Bot.Core.Places;
using Bot.Teams.Adapter;
using Bot.Testing.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Teams.Tests.Flow;

/// <summary>
/// The text commands in Teams (<c>settings …</c>, <c>model …</c>) through /api/messages and the Connector fake: only
/// Teams:AdminUserIds change settings, bad input gets the choices, a team's value reaches its channels until a channel
/// sets its own, and no command is a turn.
/// </summary>
public sealed class SettingsCommandTests : IAsyncLifetime
{
    // The people of the recorded fixtures (the personal chat's and the channel's senders) are both admins here.
    internal const string AdminObjectId = "6d415fdd-f97e-4f70-ac45-e69601e4ecb2";
    internal const string ChannelUserObjectId = "b15a9416-0ad3-4172-9210-7beb711d3f70";
    internal const string StrangerObjectId = "0f0e0d0c-0b0a-0908-0706-050403020100";
    internal const string Team = "teams:19:66P469zibfbsGI-_a0aN_toLTZpyzS6u7CT3TsXdgPw1@thread.tacv2";
    internal const string Channel = "teams:19:6848757105754c8981c67612732d9aa7@thread.tacv2";

    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() =>
        _bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Teams:AdminUserIds:0"] = AdminObjectId,
            ["Teams:AdminUserIds:1"] = ChannelUserObjectId.ToUpperInvariant(),
        });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task AdminSetsTheModel_ItIsStoredByThem_AndShowSaysSo_WithoutATurn()
    {
        var chat = $"a:settings-{Guid.NewGuid():N}";

        var set = await CommandAsync(Personal(chat, "settings set Model GPT-TEST"));
        var shown = await CommandAsync(Personal(chat, "/Settings Show"));

        Assert.Equal("`Model` is now `gpt-test` here.", set.Text);
        Assert.Contains($"• Model: `gpt-test` (command: set by teams:{AdminObjectId} on ", shown.Text, StringComparison.Ordinal);
        Assert.Contains($"at teams:{chat})", shown.Text, StringComparison.Ordinal);
        Assert.Contains("• Tools.WebSearch: off (default: OpenAI:Tools:WebSearch)", shown.Text, StringComparison.Ordinal);
        var history = await Settings.HistoryAsync(new Place("teams:" + chat, PlaceKind.DirectChat));
        Assert.Equal(("Model", "gpt-test", $"teams:{AdminObjectId}"), Assert.Single(history) is var h ? (h.Name, h.Value, h.ChangedBy) : default);
        Assert.Empty(_bot.OpenAI.ResponseRequests);
        Assert.Empty(await _bot.InboxAsync());
    }

    [Fact]
    public async Task NonAdmin_IsRefused_AndNothingIsStored()
    {
        var reply = await CommandAsync(Stranger(ChannelMessage("settings set Model gpt-test")));
        var model = await CommandAsync(Stranger(ChannelMessage("model gpt-test")));

        Assert.Equal(TeamsCommands.NotAdmin, reply.Text);
        Assert.Equal(TeamsCommands.NotAdmin, model.Text);
        Assert.Empty(await Settings.HistoryAsync(new Place(Channel, PlaceKind.Channel)));
        Assert.Empty(_bot.OpenAI.ResponseRequests);
        Assert.Empty(await _bot.InboxAsync());
    }

    [Theory]
    [InlineData("settings set Colour blue", "I don't know the setting `Colour`. Settings: Model, Instructions, Tools.CodeInterpreter,")]
    [InlineData("settings set Tools.WebSearch maybe", "`Tools.WebSearch` is on or off, not `maybe`.")]
    [InlineData("settings set ReplyMode sometimes", "`ReplyMode` is one of: Mentions, All; not `sometimes`.")]
    [InlineData("model gpt-9", "`gpt-9` isn't an allowed model. Choose one of: gpt-test.")]
    [InlineData("settings set Model", "Write `settings set <name> <value>`")]
    public async Task BadInput_GetsTheValidChoices_AndNothingIsStored(string command, string expected)
    {
        var chat = $"a:bad-{Guid.NewGuid():N}";

        var reply = await CommandAsync(Personal(chat, command));

        Assert.StartsWith(expected, reply.Text, StringComparison.Ordinal);
        Assert.Empty(await Settings.HistoryAsync(new Place("teams:" + chat, PlaceKind.DirectChat)));
        Assert.Empty(_bot.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task TeamValue_ReachesTheChannel_UntilTheChannelSetsItsOwn_AndClearingFallsBack()
    {
        var atTeam = await CommandAsync(ChannelMessage("team settings set Instructions Answer briefly."));
        var inherited = await CommandAsync(ChannelMessage("settings show"));
        await CommandAsync(ChannelMessage("settings set Instructions Answer at length."));
        var own = await CommandAsync(ChannelMessage("settings show"));
        var cleared = await CommandAsync(ChannelMessage("settings clear Instructions"));
        var fallback = await CommandAsync(ChannelMessage("settings show"));
        var teamShown = await CommandAsync(ChannelMessage("team settings show"));

        Assert.Equal("`Instructions` is now `Answer briefly.` here. (for the whole team)", atTeam.Text);
        Assert.Contains($"• Instructions: `Answer briefly.` (command: set by teams:{ChannelUserObjectId} on ", inherited.Text, StringComparison.Ordinal);
        Assert.Contains($"at {Team})", inherited.Text, StringComparison.Ordinal);
        Assert.Contains("• Instructions: `Answer at length.` (command: ", own.Text, StringComparison.Ordinal);
        Assert.Contains($"at {Channel})", own.Text, StringComparison.Ordinal);
        Assert.StartsWith("`Instructions` is cleared here", cleared.Text, StringComparison.Ordinal);
        Assert.Contains("• Instructions: `Answer briefly.` (command: ", fallback.Text, StringComparison.Ordinal);
        Assert.StartsWith($"Settings at {Team} (teams:50612dbb-0237-4969-b378-8d42590f9c00 > {Team}):", teamShown.Text, StringComparison.Ordinal);
        Assert.Empty(_bot.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task TeamCommand_OutsideAChannel_SaysThereIsNoTeam()
    {
        var reply = await CommandAsync(Personal($"a:team-{Guid.NewGuid():N}", "team model gpt-test"));

        Assert.Equal(TeamsCommands.NoTeam, reply.Text);
    }

    private PlaceSettings Settings => _bot.Services.GetRequiredService<PlaceSettings>();

    private JsonObject Personal(string conversation, string text) => _bot.Fixture("personal_message.json", conversation, text);

    private JsonObject ChannelMessage(string text) => _bot.Fixture("channel_message_at_mention.json", text: "<at>ridotest</at> " + text);

    internal static JsonObject Stranger(JsonObject activity)
    {
        activity["from"] = new JsonObject { ["id"] = "29:stranger", ["name"] = "Stranger", ["aadObjectId"] = StrangerObjectId };
        return activity;
    }

    private Task<ConnectorRequest> CommandAsync(JsonObject activity) => _bot.ReplyOfAsync(activity);
}
