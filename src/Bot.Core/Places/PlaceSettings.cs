using System.Globalization;
using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace Bot.Core.Places;

/// <summary>
/// Per-place settings: resolves what is in force for a place path, and changes a place's settings for admin commands.
/// A setting comes from the nearest place that sets it (at each place, a value set by command before one in
/// <c>Places:{place}:*</c>), then <c>Places:Defaults:*</c>, then the global options. Stored settings are cached for a
/// few seconds per place path; a change made here is seen at once by this process, and by other instances within
/// <see cref="CacheLifetime"/>.
/// </summary>
public sealed class PlaceSettings
{
    /// <summary>How long a place path's stored settings are reused before they are read again.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private const string Section = "Places";
    private const string DefaultsSection = "Defaults";

    private readonly IPlaceSettingsStore? _store;
    private readonly Dictionary<string, string> _configured;
    private readonly IReadOnlyDictionary<string, SettingValue> _defaults;
    private readonly ExpiringMap<string, IReadOnlyList<StoredPlaceSetting>> _cache;
    private readonly TimeProvider _time;

    /// <param name="store">Where commands keep settings; null: configuration only (a change is refused).</param>
    /// <param name="configuration">The root configuration (its <c>Places</c> section is read once).</param>
    /// <param name="backend">The current backend: its model, allowed models, tools and MCP servers are the defaults.</param>
    /// <param name="budgets">The global budgets (defaults of the budget settings).</param>
    /// <param name="time">The clock of the change history.</param>
    public PlaceSettings(IPlaceSettingsStore? store, IConfiguration configuration, Backends.IAssistantBackend backend, BudgetOptions budgets,
        TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(budgets);
        _store = store;
        _time = time;
        AllowedModels = backend.AllowedModels;
        Definitions = SettingNames.Catalog(backend.McpServerLabels);
        _configured = configuration.GetSection(Section).AsEnumerable(makePathsRelative: true)
            .Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value!, StringComparer.OrdinalIgnoreCase);
        _defaults = Defaults(backend, budgets).ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        _cache = new ExpiringMap<string, IReadOnlyList<StoredPlaceSetting>>(CacheLifetime, 10_000, time, StringComparer.Ordinal);
    }

    /// <summary>Every setting a place may override, in the order <c>/settings show</c> lists them.</summary>
    public IReadOnlyList<SettingDefinition> Definitions { get; }

    /// <summary>The models a place may choose.</summary>
    public IReadOnlyList<string> AllowedModels { get; }

    /// <summary>Whether changes can be stored (a store that keeps settings is configured).</summary>
    public bool CanChange => _store is not null;

    /// <summary>The definition of a setting by name (case-insensitive), or null.</summary>
    public SettingDefinition? Find(string name) =>
        Definitions.FirstOrDefault(d => string.Equals(d.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The settings in force for <paramref name="path"/>.</summary>
    public async Task<EffectiveSettings> ResolveAsync(PlacePath path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stored = await StoredAsync(path, cancellationToken).ConfigureAwait(false);
        var values = new List<SettingValue>(Definitions.Count);
        foreach (var definition in Definitions)
            values.Add(Resolve(definition, path, stored));
        return new EffectiveSettings(path, values);
    }

    /// <summary>
    /// The settings in force for <paramref name="path"/> from configuration and the global options alone: what a turn
    /// uses when the store cannot be read.
    /// </summary>
    public EffectiveSettings ResolveConfigured(PlacePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new EffectiveSettings(path, Definitions.Select(d => Resolve(d, path, [])));
    }

    /// <summary>Sets <paramref name="name"/> at <paramref name="place"/>; the result's sentence says what happened or what is valid.</summary>
    public async Task<SettingChange> SetAsync(Place place, string name, string value, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (Find(name) is not { } definition)
            return SettingChange.Refused(UnknownSetting(name));
        if (!definition.TryNormalize(value, AllowedModels, out var normalized, out var error))
            return SettingChange.Refused(error);
        if (_store is null)
            return SettingChange.Refused(NoStore);
        await _store.ChangePlaceSettingAsync(new PlaceSettingChange(place.Id, definition.Name, normalized, changedBy, _time.GetUtcNow()), cancellationToken)
            .ConfigureAwait(false);
        _cache.Clear();
        return SettingChange.Done(definition.Name, normalized, $"`{definition.Name}` is now {Display(definition, normalized)} here.");
    }

    /// <summary>Clears <paramref name="name"/> at <paramref name="place"/>, so that the value from further out applies again.</summary>
    public async Task<SettingChange> ClearAsync(Place place, string name, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(place);
        if (Find(name) is not { } definition)
            return SettingChange.Refused(UnknownSetting(name));
        if (_store is null)
            return SettingChange.Refused(NoStore);
        await _store.ChangePlaceSettingAsync(new PlaceSettingChange(place.Id, definition.Name, null, changedBy, _time.GetUtcNow()), cancellationToken)
            .ConfigureAwait(false);
        _cache.Clear();
        return SettingChange.Done(definition.Name, null, $"`{definition.Name}` is cleared here; the value from further out applies.");
    }

    /// <summary>The latest changes made by command at <paramref name="place"/>, newest first.</summary>
    public Task<IReadOnlyList<PlaceSettingChange>> HistoryAsync(Place place, int limit = 20, CancellationToken cancellationToken = default) =>
        _store is null
            ? Task.FromResult<IReadOnlyList<PlaceSettingChange>>([])
            : _store.GetPlaceSettingHistoryAsync(place.Id, limit, cancellationToken);

    /// <summary>A value as <c>/settings show</c> writes it (instructions shortened, switches as on/off).</summary>
    public static string Display(SettingDefinition definition, string? value) => value switch
    {
        null => "not set",
        _ when definition.Kind == SettingKind.Switch => value == "true" ? "on" : "off",
        _ when definition.Kind == SettingKind.Tokens => value == "0" ? "no limit" : long.Parse(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        _ => "`" + SettingDefinition.OneLine(value, definition.Kind == SettingKind.Text ? 80 : int.MaxValue) + "`",
    };

    private const string NoStore = "Settings can't be changed here: this bot keeps no store for them.";

    private string UnknownSetting(string name) =>
        $"I don't know the setting `{name.Trim().Replace('`', '\'')}`. Settings: {string.Join(", ", Definitions.Select(d => d.Name))}.";

    private SettingValue Resolve(SettingDefinition definition, PlacePath path, IReadOnlyList<StoredPlaceSetting> stored)
    {
        for (var i = path.Levels.Count - 1; i >= 0; i--)
        {
            var place = path.Levels[i];
            if (stored.FirstOrDefault(s => s.PlaceId == place.Id && string.Equals(s.Name, definition.Name, StringComparison.OrdinalIgnoreCase)) is { } set)
            {
                var origin = $"set by {set.ChangedBy} on {set.ChangedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC at {place.Id}";
                return new SettingValue(definition.Name, set.Value, SettingSource.Command, origin, place);
            }

            var key = place.Id + ":" + definition.ConfigPath;
            if (Configured(definition, key) is { } configured)
                return new SettingValue(definition.Name, configured, SettingSource.Configuration, $"{Section}:{key}", place);
        }

        var defaultsKey = DefaultsSection + ":" + definition.ConfigPath;
        if (Configured(definition, defaultsKey) is { } fallback)
            return new SettingValue(definition.Name, fallback, SettingSource.Configuration, $"{Section}:{defaultsKey}");
        return _defaults.GetValueOrDefault(definition.Name) ?? new SettingValue(definition.Name, null, SettingSource.Default, "the channel's own setting");
    }

    // A configured value that does not check out is ignored here; the options validator names it at start.
    private string? Configured(SettingDefinition definition, string key) =>
        _configured.TryGetValue(key, out var raw) && definition.TryNormalize(raw, AllowedModels, out var value, out _) ? value : null;

    private async Task<IReadOnlyList<StoredPlaceSetting>> StoredAsync(PlacePath path, CancellationToken cancellationToken)
    {
        if (_store is null)
            return [];
        var key = path.ToString();
        if (_cache.TryGetValue(key, out var cached))
            return cached;
        var stored = await _store.GetPlaceSettingsAsync([.. path.Ids], cancellationToken).ConfigureAwait(false);
        _cache.TryAdd(key, stored);
        return stored;
    }

    private static IEnumerable<SettingValue> Defaults(Backends.IAssistantBackend backend, BudgetOptions budgets)
    {
        static SettingValue Global(string name, string? value, string key) => new(name, value, SettingSource.Default, key);
        static string Switch(bool on) => on ? "true" : "false";
        static string Tokens(long tokens) => tokens.ToString(CultureInfo.InvariantCulture);

        yield return Global(SettingNames.Model, backend.Model.Length > 0 ? backend.Model : null, "OpenAI:Model");
        yield return Global(SettingNames.Instructions, null, "OpenAI:Instructions");
        yield return Global(SettingNames.CodeInterpreter, Switch(backend.CodeInterpreterEnabled), "OpenAI:Tools:CodeInterpreter");
        yield return Global(SettingNames.FileSearch, Switch(backend.FileSearchEnabled), "OpenAI:Tools:FileSearch");
        yield return Global(SettingNames.WebSearch, Switch(backend.WebSearchEnabled), "OpenAI:Tools:WebSearch");
        yield return Global(SettingNames.ImageGeneration, Switch(backend.ImageGenerationEnabled), "OpenAI:Tools:ImageGeneration");
        foreach (var label in backend.McpServerLabels)
            yield return Global(SettingNames.McpPrefix + label, "true", "OpenAI:Mcp:Servers");
        yield return Global(SettingNames.ReplyMode, SettingNames.ReplyToMentions, "the default");
        yield return Global(SettingNames.PerUserDailyTokens, Tokens(budgets.PerUserDailyTokens), "Budgets:PerUserDailyTokens");
        yield return Global(SettingNames.PerUserMonthlyTokens, Tokens(budgets.PerUserMonthlyTokens), "Budgets:PerUserMonthlyTokens");
        yield return Global(SettingNames.PerPlaceDailyTokens, Tokens(budgets.PerPlaceDailyTokens), "Budgets:PerPlaceDailyTokens");
        yield return Global(SettingNames.PerPlaceMonthlyTokens, Tokens(budgets.PerPlaceMonthlyTokens), "Budgets:PerPlaceMonthlyTokens");
    }
}

/// <summary>The outcome of a settings command: done (with the stored value) or refused, and the sentence for the admin.</summary>
public sealed record SettingChange(bool Succeeded, string Message, string? Name = null, string? Value = null)
{
    public static SettingChange Refused(string message) => new(false, message);

    public static SettingChange Done(string name, string? value, string message) => new(true, message, name, value);
}
