using Bot.Core.Conversations;

namespace Bot.Storage.Postgres.Tests;

/// <summary>
/// The PostgreSQL side of the shared store suite: each test gets a database of its own on the process's throwaway
/// cluster, dropped afterwards. The members mirror the SQLite project's StoreTestBase, which the shared tests use.
/// </summary>
public abstract class StoreTestBase : IAsyncLifetime
{
    /// <summary>A fixed time with a non-UTC offset and milliseconds, to check that times round-trip exactly.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 30, 15, 123, TimeSpan.FromHours(2));

    internal PostgresTestDatabase Db { get; } = new();

    public Task InitializeAsync() => Db.CreateAsync();

    public async Task DisposeAsync() => await Db.DisposeAsync();

    protected static IncomingMessage Message(string channel, string conversation, string messageId,
        IReadOnlyList<IncomingAttachment>? attachments = null, bool isShared = false) =>
        new(new ConversationKey(channel, conversation),
            messageId,
            new MessageAuthor("user-" + messageId, "Ada " + messageId),
            "hello from " + messageId,
            attachments ?? [],
            T0.AddSeconds(1),
            $"{{\"channel\":\"{channel}\",\"reply\":\"{messageId}\"}}",
            isShared);
}
