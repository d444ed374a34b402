using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Usage;

namespace Bot.Core.Tests.Places;

/// <summary>The text commands' parser: what is a command, what is an ordinary message, and what a malformed command says.</summary>
public sealed class SettingsCommandTests
{
    [Theory]
    [InlineData("settings show", SettingsCommandKind.Show, null, null, false)]
    [InlineData("/SETTINGS   Show ", SettingsCommandKind.Show, null, null, false)]
    [InlineData("settings history", SettingsCommandKind.History, null, null, false)]
    [InlineData("settings set Model gpt-5-mini", SettingsCommandKind.Set, "Model", "gpt-5-mini", false)]
    [InlineData("/settings set Instructions Answer in French.\nBe brief.", SettingsCommandKind.Set, "Instructions", "Answer in French.\nBe brief.", false)]
    [InlineData("settings clear tools.websearch", SettingsCommandKind.Clear, "tools.websearch", null, false)]
    [InlineData("Model gpt-5", SettingsCommandKind.Model, "Model", "gpt-5", false)]
    [InlineData("/usage", SettingsCommandKind.Usage, null, null, false)]
    [InlineData("USAGE", SettingsCommandKind.Usage, null, null, false)]
    [InlineData("team settings set ReplyMode All", SettingsCommandKind.Set, "ReplyMode", "All", true)]
    [InlineData("/team model gpt-5", SettingsCommandKind.Model, "Model", "gpt-5", true)]
    public void Commands_AreRead_WithTheRestOfTheTextAsValue(string text, SettingsCommandKind kind, string? name, string? value, bool outer)
    {
        Assert.True(SettingsCommand.TryParse(text, out var command));

        Assert.Equal((kind, name, value, outer), (command.Kind, command.Name, command.Value, command.Outer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("what are good settings for my router?")]
    [InlineData("settings show me how to do it")]
    [InlineData("model trains are fun")]
    [InlineData("usage of the word whom")]
    [InlineData("team spirit matters")]
    [InlineData("team usage")]
    [InlineData("modeling clay")]
    public void OrdinaryMessages_AreNotCommands(string text) => Assert.False(SettingsCommand.TryParse(text, out _));

    [Theory]
    [InlineData("/settings", "Commands: `settings show`")]
    [InlineData("/settings show me", "Write `settings show` alone.")]
    [InlineData("/model", "Write `model <name>`")]
    [InlineData("/model a b", "Write `model <name>`")]
    [InlineData("settings set Model", "Write `settings set <name> <value>`")]
    [InlineData("/settings clear", "Write `settings clear <name>`")]
    [InlineData("/usage now", "Write `usage` alone.")]
    public void MalformedCommands_SayHowToWriteThem(string text, string hint)
    {
        Assert.True(SettingsCommand.TryParse(text, out var command));

        Assert.Equal(SettingsCommandKind.Invalid, command.Kind);
        Assert.StartsWith(hint, command.Value, StringComparison.Ordinal);
        Assert.False(command.IsAdminOnly);
    }

    [Fact]
    public void UsageText_ShowsTokensLeftResetAndCost_AndPlainNames()
    {
        var now = new DateTimeOffset(2026, 12, 2, 19, 0, 0, TimeSpan.Zero);
        var user = new UserUsageReport("teams", "29:a",
            new UsagePeriod(1234, 3, 10_000, BudgetText.NextDay(now), 0.0123m),
            new UsagePeriod(5000, 9, 0, BudgetText.NextMonth(now)));
        var place = new PlaceUsageReport(new Place("teams:team", PlaceKind.Team),
            new UsagePeriod(1, 1, 0, BudgetText.NextDay(now)), new UsagePeriod(2, 2, 100, BudgetText.NextMonth(now)),
            [new UserUsageRow("teams", "29:a", "Eve\u202E\nevil", 2, 2)]);

        var text = SettingsText.Usage(user, place, now);

        Assert.Equal("""
            Your usage:
            • Today: 1,234 tokens in 3 turns, ≈ $0.0123; 8,766 of 10,000 left; resets 00:00 UTC (in 5 h)
            • This month: 5,000 tokens in 9 turns; no limit
            Team teams:team:
            • Today: 1 token in 1 turn; no limit
            • This month: 2 tokens in 2 turns; 98 of 100 left; resets 1 January 00:00 UTC (in 29 d 5 h)
            Top users this month:
            1. Eveevil: 2 tokens in 2 turns
            """.ReplaceLineEndings("\n"), text);
    }
}
