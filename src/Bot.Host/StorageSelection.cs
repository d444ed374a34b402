using Microsoft.Extensions.Options;

namespace Bot.Host;

/// <summary>Which store holds the bot's memory (configuration key <c>Storage:Provider</c>).</summary>
internal sealed class StorageSelection
{
    public const string Sqlite = "Sqlite";

    public const string Postgres = "Postgres";

    public string Provider { get; set; } = Sqlite;

    /// <summary>True when <c>Storage:Provider</c> in <paramref name="configuration"/> names PostgreSQL.</summary>
    public static bool IsPostgres(IConfiguration configuration) =>
        string.Equals(configuration["Storage:Provider"]?.Trim(), Postgres, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Rejects a store this version does not have, naming the key.</summary>
internal sealed class StorageSelectionValidator : IValidateOptions<StorageSelection>
{
    public ValidateOptionsResult Validate(string? name, StorageSelection options) =>
        string.Equals(options.Provider?.Trim(), StorageSelection.Sqlite, StringComparison.OrdinalIgnoreCase)
        || string.Equals(options.Provider?.Trim(), StorageSelection.Postgres, StringComparison.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Storage:Provider: '{options.Provider}' is not available in this version; use {StorageSelection.Sqlite} or {StorageSelection.Postgres}.");
}
