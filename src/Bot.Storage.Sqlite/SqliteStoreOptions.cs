namespace Bot.Storage.Sqlite;

/// <summary>Where the SQLite store keeps its database (configuration section <c>Storage:Sqlite</c>).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage:Sqlite";

    /// <summary>
    /// The database file. A relative path resolves against the current directory; the folder (when missing) and the
    /// file are created readable by the owner only.
    /// </summary>
    public string Path { get; set; } = "data/bot.db";
}
