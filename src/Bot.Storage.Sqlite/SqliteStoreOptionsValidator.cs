using Microsoft.Extensions.Options;

namespace Bot.Storage.Sqlite;

/// <summary>Refuses a database path that cannot name a file, naming the configuration key at fault.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    private const string Key = SqliteStoreOptions.SectionName + ":Path";

    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Path?.Trim();
        if (string.IsNullOrEmpty(path))
            return ValidateOptionsResult.Fail($"{Key} is empty: set it to the database file, for example data/bot.db.");

        // An in-memory database would be private to each connection, so the readers would never see the writes.
        if (path.Equals(":memory:", StringComparison.OrdinalIgnoreCase) || path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
            return ValidateOptionsResult.Fail($"{Key} must name a file; an in-memory database is not supported.");

        try
        {
            _ = Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"{Key} '{options.Path}' is not a valid file path: {exception.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
