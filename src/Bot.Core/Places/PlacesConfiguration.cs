using Bot.Core.Backends;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Core.Places;

/// <summary>
/// The check at start of the <c>Places</c> configuration section: every <c>Places:Defaults:{setting}</c> and
/// <c>Places:{placeId}:{setting}</c> must name a setting of the catalog (its path, such as <c>Tools:WebSearch</c>) with a
/// value that setting accepts. <see cref="PlaceSettings"/> ignores a value at fault; this stops the start instead, naming
/// every key at fault.
/// </summary>
public sealed class PlacesConfiguration
{
    private const string Section = "Places";

    /// <summary>One sentence per key at fault.</summary>
    public IList<string> Errors { get; } = [];

    /// <summary>
    /// Checks <c>Places</c> of the root <paramref name="configuration"/> against the settings <paramref name="backend"/>
    /// offers (its MCP servers and allowed models; null, a composition without a backend: models are not checked).
    /// </summary>
    public void Check(IConfiguration configuration, IAssistantBackend? backend)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var definitions = SettingNames.Catalog(backend?.McpServerLabels ?? []);
        var names = string.Join(", ", definitions.Select(d => d.ConfigPath));
        foreach (var (key, raw) in configuration.GetSection(Section).AsEnumerable(makePathsRelative: true))
        {
            if (raw is null)
                continue;
            var fullKey = Section + ":" + key;
            // A place id may itself have colons (discord:123, teams:19:…@thread.tacv2): the setting is the longest path
            // that ends the key after a non-empty place.
            var definition = definitions
                .Where(d => key.Length > d.ConfigPath.Length + 1 && key.EndsWith(":" + d.ConfigPath, StringComparison.OrdinalIgnoreCase))
                .MaxBy(d => d.ConfigPath.Length);
            if (definition is null)
            {
                Errors.Add($"{fullKey}: not a setting a place can have; write Places:Defaults:{{setting}} or Places:{{place id}}:{{setting}} with one of: {names}.");
                continue;
            }

            if ((backend is not null || definition.Kind != SettingKind.Model) && !definition.TryNormalize(raw, backend?.AllowedModels ?? [], out _, out var error))
                Errors.Add($"{fullKey}: {error}");
        }
    }
}

/// <summary>Stops the start when <c>Places:*</c> has a key at fault (<see cref="PlacesConfiguration"/>).</summary>
internal sealed class PlacesConfigurationValidator : IValidateOptions<PlacesConfiguration>
{
    public ValidateOptionsResult Validate(string? name, PlacesConfiguration options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}
