namespace Bot.Core.Storage;

/// <summary>
/// Short notifications between the instances on one store (PostgreSQL <c>LISTEN/NOTIFY</c>): a hint to look at the store
/// now rather than at the next poll. A store without them (SQLite) delivers nothing, and a notification may be lost (a
/// dropped connection), so correctness never depends on one: every subscriber polls as well.
/// </summary>
public interface IStoreNotifications
{
    /// <summary>True when notifications are delivered at all; false means poll only.</summary>
    bool IsSupported { get; }

    /// <summary>Sends <paramref name="payload"/> (short text, under 8,000 bytes) to every subscriber of the channel, on every instance.</summary>
    Task PublishAsync(string channel, string payload, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="handler"/> with the payload of every notification on the channel (this instance's own included)
    /// until the returned object is disposed. After the listener lost and regained its connection, the handler is called
    /// with an empty payload: notifications may have been missed, look at the store.
    /// </summary>
    IDisposable Subscribe(string channel, Action<string> handler);
}

/// <summary>No notifications (a store without them): publishing does nothing, subscribers rely on their poll.</summary>
public sealed class NoStoreNotifications : IStoreNotifications
{
    public static NoStoreNotifications Instance { get; } = new();

    public bool IsSupported => false;

    public Task PublishAsync(string channel, string payload, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public IDisposable Subscribe(string channel, Action<string> handler) => Nothing.Instance;

    private sealed class Nothing : IDisposable
    {
        public static Nothing Instance { get; } = new();

        public void Dispose()
        {
        }
    }
}
