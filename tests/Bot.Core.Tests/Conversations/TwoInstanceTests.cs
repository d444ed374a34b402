using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;

namespace Bot.Core.Tests.Conversations;

/// <summary>
/// Two bot instances (two conversation services) on one database: one conversation's messages, whichever instance
/// accepted them, are answered one turn at a time and in order, and a silent instance's conversation is taken over.
/// The PostgreSQL test project runs the same tests on its database.
/// </summary>
public abstract partial class TwoInstanceTests<TStore> : IAsyncLifetime
    where TStore : IConversationStore, IConversationLeases, IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<TStore> _stores = [];
    private readonly List<ClusterInstance> _instances = [];

    /// <summary>A new store on the test's one database, not initialized.</summary>
    protected abstract TStore CreateStore();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        foreach (var store in _stores)
            await store.DisposeAsync();
    }

    [Fact]
    public async Task Messages_of_one_conversation_delivered_to_both_instances_are_answered_once_in_order_one_turn_at_a_time()
    {
        var backend = new ScriptedBackend
        {
            Script = (request, ct) => ScriptedBackend.Stream("Echo: " + request.Text, TimeSpan.FromMilliseconds(20), cancellationToken: ct),
        };
        var channel = new RecordingChannel();
        var a = await StartAsync("a", backend, channel, TimeSpan.FromSeconds(15));
        var b = await StartAsync("b", backend, channel, TimeSpan.FromSeconds(15));

        var answered = new List<Task<TurnStatus>>();
        for (var i = 0; i < 12; i++)
        {
            var instance = i % 2 == 0 ? a : b;
            var accepted = await instance.Service.AcceptAsync(channel.Message("c1", $"msg{i:00}", $"m{i}"));
            Assert.Equal(AcceptStatus.Accepted, accepted.Status);
            answered.Add(accepted.Answered);
            await Task.Delay(5);
        }

        await Task.WhenAll(answered).WaitAsync(Patience);

        // Every message reached the backend exactly once, in the order it was accepted, and turns never overlapped.
        var sent = backend.Requests.SelectMany(r => MessageText().Matches(r.Text).Select(m => m.Value)).ToList();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"msg{i:00}"), sent);
        Assert.Equal(1, backend.MaxConcurrentTurnsPerConversation);
        Assert.All(answered, t => Assert.Equal(TurnStatus.Completed, t.Result));
        // Each turn wrote one answer, to the address of its last message.
        Assert.Equal(backend.Requests.Count, channel.Replies.Count);
        Assert.All(channel.Replies, reply => Assert.StartsWith("Echo: ", reply.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_silent_instances_conversation_is_taken_over_its_user_told_once_and_waiting_messages_answered_once()
    {
        var leaseTimeout = TimeSpan.FromSeconds(2);
        long takeovers = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "bot.lease.takeovers")
                listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref takeovers, value));
        meters.Start();
        var backend = new ScriptedBackend();
        backend.Script = (request, ct) => request.Text == "first" ? Hang(ct) : ScriptedBackend.Stream("Echo: " + request.Text, cancellationToken: ct);
        var channel = new RecordingChannel();
        var crashedStore = CreateStore();
        var crashing = await ClusterInstance.StartAsync(crashedStore, "crashing", backend, channel, leaseTimeout);
        _instances.Add(crashing);
        var survivor = await StartAsync("survivor", backend, channel, leaseTimeout);

        await crashing.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var second = await survivor.Service.AcceptAsync(channel.Message("c1", "second", "m2"));
        // The crash: the instance's database connection is gone, so its heartbeat stops and it never hands the lease back.
        await crashedStore.DisposeAsync();

        Assert.Equal(TurnStatus.Completed, await second.Answered.WaitAsync(leaseTimeout + TimeSpan.FromSeconds(2) + Patience));

        Assert.Equal(["first", "second"], backend.Requests.Select(r => r.Text));
        var told = channel.RepliesTo("c1/m1").Where(r => r.Final?.Ending?.Kind == ReplyEndingKind.Interrupted).ToList();
        Assert.Single(told);
        Assert.Equal("Echo: second", Assert.Single(channel.RepliesTo("c1/m2")).Text);
        // Operators see takeovers in the metrics (tests running at the same time may add their own).
        Assert.True(Interlocked.Read(ref takeovers) >= 1);
    }

    [Fact]
    public async Task A_clean_stop_hands_the_conversation_to_the_other_instance_at_once()
    {
        var leaseTimeout = TimeSpan.FromMinutes(10);
        var backend = new ScriptedBackend();
        var channel = new RecordingChannel();
        var leaving = await StartAsync("leaving", backend, channel, leaseTimeout);
        var staying = await StartAsync("staying", backend, channel, leaseTimeout);
        var first = await leaving.Service.AcceptAsync(channel.Message("c1", "hello", "m1"));
        await first.Answered.WaitAsync(Patience);

        await leaving.Service.StopAsync(CancellationToken.None);
        var next = await staying.Service.AcceptAsync(channel.Message("c1", "again", "m2"));

        // Long before the ten-minute lease timeout.
        Assert.Equal(TurnStatus.Completed, await next.Answered.WaitAsync(Patience));
        Assert.Equal("Echo: again", Assert.Single(channel.RepliesTo("c1/m2")).Text);
        Assert.Equal(["staying"], (await ((IConversationLeases)staying.Store).GetInstancesAsync()).Select(i => i.InstanceId));
    }

    [Fact]
    public async Task An_instance_that_starts_while_another_runs_a_turn_leaves_that_turn_alone()
    {
        var gate = new TaskCompletionSource();
        var backend = new ScriptedBackend { Script = (request, ct) => WaitThenEcho(request, gate.Task, ct) };
        var channel = new RecordingChannel();
        var running = await StartAsync("running", backend, channel, TimeSpan.FromSeconds(15));
        var first = await running.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);

        // Its start recovers the channel: the turn in progress is another live instance's, not a crash to clean up.
        await StartAsync("starting", backend, channel, TimeSpan.FromSeconds(15));
        gate.SetResult();

        Assert.Equal(TurnStatus.Completed, await first.Answered.WaitAsync(Patience));
        Assert.Equal("Echo: first", Assert.Single(channel.RepliesTo("c1/m1")).Text);
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task A_stop_on_one_instance_stops_the_answer_running_on_the_other()
    {
        var backend = new ScriptedBackend { Script = (request, ct) => Hang(ct) };
        var channel = new RecordingChannel();
        var running = await StartAsync("running", backend, channel, TimeSpan.FromSeconds(15));
        var asked = await StartAsync("asked", backend, channel, TimeSpan.FromSeconds(15));
        var first = await running.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);

        Assert.False(asked.Service.Stop(new ConversationKey("test", "c1")));
        Assert.True(await asked.Service.StopTurnAsync(new ConversationKey("test", "c1")));

        Assert.Equal(TurnStatus.Cancelled, await first.Answered.WaitAsync(Patience));
        Assert.Equal(ReplyEndingKind.Stopped, Assert.Single(channel.RepliesTo("c1/m1")).Final?.Ending?.Kind);
        // Nothing runs any more: a second stop finds nothing.
        await backend.Changes.UntilAsync(() => backend.MaxConcurrentTurnsPerConversation == 1);
        Assert.False(await asked.Service.StopTurnAsync(new ConversationKey("other", "c2")));
    }

    [Fact]
    public async Task A_reset_on_one_instance_stops_the_turn_on_the_other_and_archives_only_after_it_ended()
    {
        var backend = new ScriptedBackend { Script = (request, ct) => Hang(ct) };
        var channel = new RecordingChannel();
        var running = await StartAsync("running", backend, channel, TimeSpan.FromSeconds(15));
        var asked = await StartAsync("asked", backend, channel, TimeSpan.FromSeconds(15));
        var key = new ConversationKey("test", "c1");
        var first = await running.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var waiting = await running.Service.AcceptAsync(channel.Message("c1", "second", "m2"));

        var result = await asked.Service.ResetAsync(key).WaitAsync(Patience);

        Assert.True(result.HadConversation);
        Assert.True(result.StoppedTurn);
        Assert.Equal(1, result.DroppedMessages);
        // The turn had ended (and its end was recorded) before the reset archived the conversation.
        Assert.True(first.Answered.IsCompleted);
        Assert.Equal(TurnStatus.Cancelled, await first.Answered);
        Assert.Equal(ReplyEndingKind.StoppedByReset, Assert.Single(channel.RepliesTo("c1/m1")).Final?.Ending?.Kind);
        Assert.Null(await asked.Store.FindConversationAsync(key));
        Assert.Single(backend.Requests);
        Assert.Empty(await ((IConversationLeases)asked.Store).GetUnfinishedInboxAsync(key));
        // The message that waited on the other instance is dropped there too: never answered.
        await waiting.Answered.WaitAsync(Patience);
        Assert.Empty(channel.RepliesTo("c1/m2"));
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task A_message_waiting_on_one_instance_and_dropped_by_a_reset_on_the_other_ends_cancelled_for_its_caller()
    {
        var backend = new ScriptedBackend { Script = (request, ct) => Hang(ct) };
        var channel = new RecordingChannel();
        var a = await StartAsync("a", backend, channel, TimeSpan.FromSeconds(15));
        var b = await StartAsync("b", backend, channel, TimeSpan.FromSeconds(15));
        var key = new ConversationKey("test", "c1");
        var first = await a.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        // Either instance may run the turn (the other's poll can take the conversation first).
        var runsIt = (await ((IConversationLeases)a.Store).FindLeaseAsync(key))?.OwnerInstanceId == "a";
        var (holder, other) = runsIt ? (a, b) : (b, a);
        // Stored by the instance that does not hold the lease: it waits there for the holder.
        var waiting = await other.Service.AcceptAsync(channel.Message("c1", "second", "m2"));

        var result = await holder.Service.ResetAsync(key).WaitAsync(Patience);

        Assert.Equal(1, result.DroppedMessages);
        Assert.Equal(TurnStatus.Cancelled, await first.Answered.WaitAsync(Patience));
        // Not "completed": the caller on the other instance learns that its message was dropped.
        Assert.Equal(TurnStatus.Cancelled, await waiting.Answered.WaitAsync(Patience));
        Assert.Empty(channel.RepliesTo("c1/m2"));
        Assert.Single(backend.Requests);
    }

    private async Task<ClusterInstance> StartAsync(string id, IAssistantBackend backend, RecordingChannel channel, TimeSpan leaseTimeout)
    {
        var store = CreateStore();
        _stores.Add(store);
        var instance = await ClusterInstance.StartAsync(store, id, backend, channel, leaseTimeout);
        _instances.Add(instance);
        return instance;
    }

    private static async IAsyncEnumerable<AssistantEvent> WaitThenEcho(TurnRequest request, Task gate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        await foreach (var assistantEvent in ScriptedBackend.Stream("Echo: " + request.Text, cancellationToken: cancellationToken))
            yield return assistantEvent;
    }

    private static async IAsyncEnumerable<AssistantEvent> Hang([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new ResponseStarted("resp_hanging");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    [GeneratedRegex(@"msg\d\d")]
    private static partial Regex MessageText();
}
