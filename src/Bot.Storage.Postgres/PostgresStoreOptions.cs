namespace Bot.Storage.Postgres;

/// <summary>Where the PostgreSQL store keeps its tables (configuration section <c>Storage:Postgres</c>).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage:Postgres";

    /// <summary>The configuration key of <see cref="ConnectionString"/>, for messages.</summary>
    public const string ConnectionStringKey = SectionName + ":ConnectionString";

    /// <summary>
    /// An Npgsql connection string, for example <c>Host=db;Database=bot;Username=bot;Password=…</c>. Required; it is a
    /// secret (it holds the password), so it comes from an environment variable or user secrets and is never logged.
    /// </summary>
    public string ConnectionString { get; set; } = "";
}
