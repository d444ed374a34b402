using System.Globalization;
using Bot.Core.Backends;

namespace Bot.Core.Places;

/// <summary>Where a setting's value in force comes from.</summary>
public enum SettingSource
{
    /// <summary>Set by an admin command at a place (stored, with who and when).</summary>
    Command,
    /// <summary>Configuration: <c>Places:{place}:*</c> or <c>Places:Defaults:*</c>.</summary>
    Configuration,
    /// <summary>The global options (<c>OpenAI:Model</c>, <c>Budgets:*</c>, …) or the channel's own default.</summary>
    Default,
}

/// <summary>
/// A setting's value in force at a place and where it comes from. <see cref="Value"/> null: not set anywhere (the
/// channel's own behaviour applies). <see cref="Place"/> is the place that set it (null for defaults);
/// <see cref="Origin"/> says it in words: the configuration key, or who set it and when.
/// </summary>
public sealed record SettingValue(string Name, string? Value, SettingSource Source, string Origin, Place? Place = null);

/// <summary>The settings in force for one conversation's place path at one moment.</summary>
public sealed class EffectiveSettings
{
    private readonly Dictionary<string, SettingValue> _values;

    public EffectiveSettings(PlacePath path, IEnumerable<SettingValue> values)
    {
        Path = path;
        _values = values.ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The place path the settings were resolved for.</summary>
    public PlacePath Path { get; }

    /// <summary>Every setting, in catalog order.</summary>
    public IReadOnlyCollection<SettingValue> Values => _values.Values;

    /// <summary>One setting, or null when there is no such setting.</summary>
    public SettingValue? Find(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value of a setting, or null when it is not set anywhere.</summary>
    public string? this[string name] => Find(name)?.Value;

    public string? Model => this[SettingNames.Model];
    public string? Instructions => this[SettingNames.Instructions];
    public bool? CodeInterpreter => Switch(SettingNames.CodeInterpreter);
    public bool? FileSearch => Switch(SettingNames.FileSearch);
    public bool? WebSearch => Switch(SettingNames.WebSearch);
    public bool? ImageGeneration => Switch(SettingNames.ImageGeneration);

    /// <summary>True when the place answers every message, not only those addressed to the bot.</summary>
    public bool ReplyToAll => string.Equals(this[SettingNames.ReplyMode], SettingNames.ReplyToAll, StringComparison.OrdinalIgnoreCase);

    /// <summary>"Channel" or "User", or null: the channel's own option (<c>Discord:ConversationScope</c>) applies.</summary>
    public string? ConversationScope => this[SettingNames.ConversationScope];

    /// <summary>Roles whose members the bot answers here; empty: no restriction beyond the channel's allow-lists.</summary>
    public IReadOnlyList<string> AllowedRoleIds => Ids(SettingNames.AllowedRoleIds);

    /// <summary>Users the bot answers here; empty: no restriction beyond the channel's allow-lists.</summary>
    public IReadOnlyList<string> AllowedUserIds => Ids(SettingNames.AllowedUserIds);

    /// <summary>The MCP servers (by label) switched off here.</summary>
    public IReadOnlySet<string> DisabledMcpServers =>
        _values.Values.Where(v => v.Name.StartsWith(SettingNames.McpPrefix, StringComparison.OrdinalIgnoreCase) && v.Value == "false")
            .Select(v => v.Name[SettingNames.McpPrefix.Length..]).ToHashSet(StringComparer.Ordinal);

    /// <summary>A token limit in force (0 = none).</summary>
    public long Tokens(string name) =>
        long.TryParse(this[name], NumberStyles.None, CultureInfo.InvariantCulture, out var tokens) ? tokens : 0;

    /// <summary>
    /// The place a per-place limit counts: the place that set it, or, for a limit from <c>Budgets:*</c> or
    /// <c>Places:Defaults</c>, the path's <see cref="PlacePath.Community"/>.
    /// </summary>
    public Place BudgetPlace(string name) => Find(name)?.Place ?? Path.Community;

    /// <summary>What the backend gets for a turn here.</summary>
    public TurnSettings ToTurnSettings() =>
        new(Model, Instructions, CodeInterpreter, FileSearch, WebSearch, ImageGeneration, DisabledMcpServers);

    private bool? Switch(string name) => this[name] switch
    {
        "true" => true,
        "false" => false,
        _ => null,
    };

    private IReadOnlyList<string> Ids(string name) =>
        this[name] is { Length: > 0 } ids ? ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
}
