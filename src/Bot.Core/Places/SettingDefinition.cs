using System.Globalization;
using System.Text;

namespace Bot.Core.Places;

/// <summary>What values a setting takes.</summary>
public enum SettingKind
{
    /// <summary>Free text (instructions): control characters other than line breaks and tabs are removed.</summary>
    Text,
    /// <summary>A model from <c>OpenAI:AllowedModels</c>.</summary>
    Model,
    /// <summary>on or off (true/false, yes/no).</summary>
    Switch,
    /// <summary>One of a fixed list of words (<see cref="SettingDefinition.Choices"/>).</summary>
    Choice,
    /// <summary>A list of platform ids (separated by commas or spaces).</summary>
    IdList,
    /// <summary>A token count, 0 = no limit (digits, optionally with a k or m suffix).</summary>
    Tokens,
}

/// <summary>
/// One per-place setting: its name in commands (<c>Tools.WebSearch</c>), its configuration path below a place
/// (<c>Tools:WebSearch</c>), and how a value typed by an admin is checked and normalized.
/// </summary>
public sealed record SettingDefinition(string Name, SettingKind Kind, string Description, IReadOnlyList<string>? Choices = null)
{
    /// <summary>Longest instructions text an admin may set.</summary>
    public const int MaxTextLength = 8000;

    /// <summary>The configuration path below <c>Places:{place}</c> or <c>Places:Defaults</c>.</summary>
    public string ConfigPath => Name.Replace('.', ':');

    /// <summary>
    /// Checks <paramref name="input"/> and gives the value to store, or the sentence that says what is valid.
    /// <paramref name="allowedModels"/> are the models a <see cref="SettingKind.Model"/> setting accepts.
    /// </summary>
    public bool TryNormalize(string input, IReadOnlyList<string> allowedModels, out string value, out string error)
    {
        ArgumentNullException.ThrowIfNull(input);
        var trimmed = input.Trim();
        (value, error) = ("", "");
        switch (Kind)
        {
            case SettingKind.Text:
                value = CleanText(trimmed);
                if (value.Length == 0)
                    error = $"`{Name}` needs some text (to remove it, clear the setting).";
                else if (value.Length > MaxTextLength)
                    error = $"`{Name}` can be at most {MaxTextLength:N0} characters long; this is {value.Length:N0}.";
                break;
            case SettingKind.Model:
                value = allowedModels.FirstOrDefault(m => string.Equals(m, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
                if (value.Length == 0)
                    error = $"`{Short(trimmed)}` isn't an allowed model. Choose one of: {string.Join(", ", allowedModels)}.";
                break;
            case SettingKind.Switch:
                value = trimmed.ToLowerInvariant() switch
                {
                    "on" or "true" or "yes" or "enable" or "enabled" or "1" => "true",
                    "off" or "false" or "no" or "disable" or "disabled" or "0" => "false",
                    _ => "",
                };
                if (value.Length == 0)
                    error = $"`{Name}` is on or off, not `{Short(trimmed)}`.";
                break;
            case SettingKind.Choice:
                value = Choices!.FirstOrDefault(c => string.Equals(c, trimmed, StringComparison.OrdinalIgnoreCase)) ?? "";
                if (value.Length == 0)
                    error = $"`{Name}` is one of: {string.Join(", ", Choices!)}; not `{Short(trimmed)}`.";
                break;
            case SettingKind.IdList:
                var ids = trimmed.Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (ids.Length == 0 || ids.Any(id => id.Length > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_' or '.')))
                    error = $"`{Name}` is a list of ids separated by commas (for example `123456789012345678, 234567890123456789`).";
                else
                    value = string.Join(",", ids.Distinct(StringComparer.Ordinal));
                break;
            case SettingKind.Tokens:
                if (TryParseTokens(trimmed, out var tokens))
                    value = tokens.ToString(CultureInfo.InvariantCulture);
                else
                    error = $"`{Name}` is a number of tokens, 0 for no limit (for example `50000` or `50k`), not `{Short(trimmed)}`.";
                break;
        }

        return error.Length == 0;
    }

    private static bool TryParseTokens(string text, out long tokens)
    {
        tokens = 0;
        var digits = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).ToLowerInvariant();
        long factor = 1;
        if (digits.EndsWith('k'))
            (factor, digits) = (1_000, digits[..^1]);
        else if (digits.EndsWith('m'))
            (factor, digits) = (1_000_000, digits[..^1]);
        return digits.Length is > 0 and <= 15 && digits.All(char.IsAsciiDigit) &&
               long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) &&
               (tokens = n * factor) >= 0;
    }

    private static string CleanText(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c) || c is '\n' or '\t')
                clean.Append(c);
        }

        return clean.ToString().Trim();
    }

    // What the admin typed, quoted back no longer than a line.
    private static string Short(string text) => OneLine(text, 60);

    /// <summary>
    /// <paramref name="text"/> on one line, without backticks (which would break a quote around it), cut to
    /// <paramref name="max"/> characters with an ellipsis.
    /// </summary>
    internal static string OneLine(string text, int max)
    {
        var one = text.ReplaceLineEndings(" ").Replace('`', '\'');
        return one.Length <= max ? one : one[..max] + "…";
    }
}

/// <summary>The settings a place may override, by name.</summary>
public static class SettingNames
{
    public const string Instructions = "Instructions";
    public const string Model = "Model";
    public const string CodeInterpreter = "Tools.CodeInterpreter";
    public const string FileSearch = "Tools.FileSearch";
    public const string WebSearch = "Tools.WebSearch";
    public const string ImageGeneration = "Tools.ImageGeneration";
    /// <summary>The prefix of a remote MCP server's switch: <c>Mcp.{label}</c>.</summary>
    public const string McpPrefix = "Mcp.";
    public const string ReplyMode = "ReplyMode";
    public const string ConversationScope = "ConversationScope";
    public const string AllowedRoleIds = "AllowedRoleIds";
    public const string AllowedUserIds = "AllowedUserIds";
    public const string PerUserDailyTokens = "Budgets.PerUserDailyTokens";
    public const string PerUserMonthlyTokens = "Budgets.PerUserMonthlyTokens";
    public const string PerPlaceDailyTokens = "Budgets.PerPlaceDailyTokens";
    public const string PerPlaceMonthlyTokens = "Budgets.PerPlaceMonthlyTokens";

    /// <summary>ReplyMode: answer only messages addressed to the bot (mention, reply, DM, followed thread).</summary>
    public const string ReplyToMentions = "Mentions";
    /// <summary>ReplyMode: answer every message in the place.</summary>
    public const string ReplyToAll = "All";

    /// <summary>Every setting, MCP switches for <paramref name="mcpLabels"/> included, in the order <c>/settings show</c> lists them.</summary>
    public static IReadOnlyList<SettingDefinition> Catalog(IEnumerable<string> mcpLabels) =>
    [
        new(Model, SettingKind.Model, "the model that answers"),
        new(Instructions, SettingKind.Text, "instructions the model gets with every turn"),
        new(CodeInterpreter, SettingKind.Switch, "code interpreter (data files, charts)"),
        new(FileSearch, SettingKind.Switch, "file search over attached documents"),
        new(WebSearch, SettingKind.Switch, "web search (billed per use)"),
        new(ImageGeneration, SettingKind.Switch, "image generation (billed per image)"),
        .. mcpLabels.Select(label => new SettingDefinition(McpPrefix + label, SettingKind.Switch, $"the MCP server `{label}`")),
        new(ReplyMode, SettingKind.Choice, "answer mentions only, or every message here", [ReplyToMentions, ReplyToAll]),
        new(ConversationScope, SettingKind.Choice, "one conversation per channel, or one per user", ["Channel", "User"]),
        new(AllowedRoleIds, SettingKind.IdList, "roles whose members the bot answers here"),
        new(AllowedUserIds, SettingKind.IdList, "users the bot answers here"),
        new(PerUserDailyTokens, SettingKind.Tokens, "tokens one user may use per day"),
        new(PerUserMonthlyTokens, SettingKind.Tokens, "tokens one user may use per month"),
        new(PerPlaceDailyTokens, SettingKind.Tokens, "tokens this place may use per day"),
        new(PerPlaceMonthlyTokens, SettingKind.Tokens, "tokens this place may use per month"),
    ];
}
