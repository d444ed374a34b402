namespace Bot.Core.Storage;

/// <summary>The store as a whole: its schema, brought up to date at start, and whether it answers.</summary>
public interface IStoreLifecycle
{
    /// <summary>
    /// Creates or migrates the schema. Called once at start, before any other method of any store port; safe to call
    /// again. A store whose schema is newer than this build knows refuses to start, naming the database.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>The cheapest read the store can make, for a health check: completes when it answers, throws when it does not.</summary>
    Task PingAsync(CancellationToken cancellationToken = default);
}
