using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Refuses a missing or unreadable connection string, naming the key and never repeating its value.</summary>
internal sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    private const string Key = PostgresStoreOptions.ConnectionStringKey;

    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"{Key} is empty: Storage:Provider=Postgres needs it, for example Host=localhost;Database=bot;Username=bot;Password=… " +
                "(set it as the environment variable Storage__Postgres__ConnectionString).");
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // The parser's message may quote the text, which may hold the password: say only what kind of fault it is.
            return ValidateOptionsResult.Fail($"{Key} is not a valid PostgreSQL connection string ({exception.GetType().Name}).");
        }

        return string.IsNullOrWhiteSpace(builder.Host)
            ? ValidateOptionsResult.Fail($"{Key} names no Host: add Host=<server> (or a unix socket folder).")
            : ValidateOptionsResult.Success;
    }
}
