using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Microsoft.Extensions.Options;

namespace Bot.Storage.Postgres.Tests;

/// <summary>
/// LISTEN/NOTIFY between instances: a message stored on one instance for a conversation another holds wakes the holder at
/// once (its poll is far slower than these tests wait), also after the listening connection was killed.
/// </summary>
public sealed class PostgresNotificationTests : IAsyncLifetime
{
    // Far longer than the waits below: a message answered within them was answered because of a notification.
    private static readonly TimeSpan SlowPoll = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly PostgresTestDatabase _db = new();
    private readonly List<IAsyncDisposable> _disposables = [];

    private static ListLogger<ClusterInstance> Log { get; } = new();

    private static ListLogger<PostgresNotifications> ListenerLog { get; } = new();

    public Task InitializeAsync() => _db.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
            await disposable.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_notification_reaches_every_subscriber_of_its_channel_only()
    {
        var notifications = Notifications();
        var received = new List<string>();
        var other = new List<string>();
        using var subscription = notifications.Subscribe("test_channel", payload =>
        {
            lock (received)
                received.Add(payload);
        });
        using var unrelated = notifications.Subscribe("other_channel", payload =>
        {
            lock (other)
                other.Add(payload);
        });
        await WaitUntilAsync(() => notifications.Connections == 1, "the listener to connect");

        await Notifications().PublishAsync("test_channel", "hello");
        await WaitUntilAsync(() =>
        {
            lock (received)
                return received.Contains("hello");
        }, "the notification");
        lock (other)
            Assert.Empty(other);
        await Assert.ThrowsAsync<ArgumentException>(() => notifications.PublishAsync("Bad Channel; DROP", "x"));
    }

    [Fact]
    public async Task A_message_stored_on_one_instance_for_a_conversation_the_other_holds_is_answered_without_waiting_for_a_poll_also_after_the_listener_was_killed()
    {
        var backend = new ScriptedBackend();
        var channel = new RecordingChannel();
        var notificationsOfB = Notifications();
        var a = await StartAsync("a", backend, channel, Notifications());
        var b = await StartAsync("b", backend, channel, notificationsOfB);
        await WaitUntilAsync(() => notificationsOfB.Connections == 1, "b's listener to connect");

        await AnsweredThroughBAsync(a, b, channel, "c1");

        // Kill b's listening connection: it reconnects and listens again.
        await using (var connection = _db.OpenRawConnection())
        {
            await using var kill = new Npgsql.NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database();",
                connection);
            kill.Parameters.AddWithValue("name", PostgresNotifications.ListenerApplicationName);
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        await WaitUntilAsync(() => notificationsOfB.Connections >= 2, "b's listener to reconnect");
        await AnsweredThroughBAsync(a, b, channel, "c2");
    }

    [Fact]
    public async Task A_stop_asked_on_one_instance_reaches_the_turn_the_other_runs_without_waiting_for_a_poll()
    {
        var backend = new ScriptedBackend
        {
            Script = (request, ct) => ScriptedBackend.Stream("a very long answer " + request.Text, TimeSpan.FromSeconds(2), pieces: 30, cancellationToken: ct),
        };
        var channel = new RecordingChannel();
        var notificationsOfB = Notifications();
        var a = await StartAsync("a", backend, channel, Notifications());
        var b = await StartAsync("b", backend, channel, notificationsOfB);
        await WaitUntilAsync(() => notificationsOfB.Connections == 1, "b's listener to connect");

        var accepted = await b.Service.AcceptAsync(channel.Message("c3", "talk"));
        await WaitUntilAsync(() => backend.Requests.Count == 1, "b's turn to start");

        Assert.True(await a.Service.StopTurnAsync(new ConversationKey(channel.Name, "c3")));

        // b takes stop signals at its poll (a minute away) or when notified.
        Assert.Equal(TurnStatus.Cancelled, await accepted.Answered.WaitAsync(Patience));
    }

    // b holds the conversation's lease (as between the end of a turn and handing it back) with nothing running; a stores a
    // message for it. Only a notification gets b to answer: no poll runs within the wait, and the lease would not expire.
    private static async Task AnsweredThroughBAsync(ClusterInstance a, ClusterInstance b, RecordingChannel channel, string conversation)
    {
        var key = new ConversationKey(channel.Name, conversation);
        Assert.True(await ((IConversationLeases)b.Store).TryAcquireLeaseAsync(key, "b", DateTimeOffset.UtcNow, LongLease));
        var replyAddress = conversation + "/reply";
        var replies = channel.RepliesTo(replyAddress).Count;

        var accepted = await a.Service.AcceptAsync(channel.Message(conversation, "hello " + conversation));
        Assert.Equal(AcceptStatus.Accepted, accepted.Status);

        await WaitUntilAsync(() => channel.RepliesTo(replyAddress).Count > replies, "b to answer " + conversation);
        await WaitUntilAsync(() => channel.RepliesTo(replyAddress).Any(r => r.Text.Contains("Echo: hello " + conversation, StringComparison.Ordinal)),
            "the answer to be written");
    }

    private async Task<ClusterInstance> StartAsync(string id, ScriptedBackend backend, RecordingChannel channel, PostgresNotifications notifications)
    {
        var factory = new Microsoft.Extensions.Logging.LoggerFactory([new ListLoggerProvider<ClusterInstance>(Log)]);
        var instance = await ClusterInstance.StartAsync(_db.CreateStore(), id, backend, channel, LongLease, factory, notifications: notifications,
            pollInterval: SlowPoll);
        _disposables.Add(instance);
        return instance;
    }

    private PostgresNotifications Notifications()
    {
        var notifications = new PostgresNotifications(Options.Create(new PostgresStoreOptions { ConnectionString = _db.ConnectionString }),
            ListenerLog);
        _disposables.Add(notifications);
        return notifications;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (!condition())
        {
            if (deadline.IsCancellationRequested)
                Assert.Fail($"Still waiting for {what} after {Patience.TotalSeconds} s.\n" + string.Join("\n", Log.Entries.Concat(ListenerLog.Entries).Select(e => $"{e.Level} {e.EventId.Id} {e.Message}")));
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
