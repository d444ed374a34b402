using Microsoft.Extensions.Options;

namespace Bot.Host;

/// <summary>Which store holds the bot's memory (configuration key <c>Storage:Provider</c>).</summary>
internal sealed class StorageSelection
{
    public string Provider { get; set; } = "Sqlite";
}

/// <summary>Rejects a store this version does not have, naming the key.</summary>
internal sealed class StorageSelectionValidator : IValidateOptions<StorageSelection>
{
    public ValidateOptionsResult Validate(string? name, StorageSelection options) =>
        string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Storage:Provider: '{options.Provider}' is not available in this version; use Sqlite.");
}
