using Bot.Core.Conversations;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Bot.Testing.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Tests.Conversations;

/// <summary>An instance whose store is unreachable for a while: its leases, its running turn, and what it does once the store is back.</summary>
public abstract partial class TwoInstanceTests<TStore>
{
    [Fact]
    public async Task A_holder_cut_off_from_the_store_past_the_lease_timeout_stops_its_turn_silently_the_taker_tells_once_and_it_goes_on_after()
    {
        var leaseTimeout = TimeSpan.FromSeconds(2);
        // The script starts once the backend recorded what it created: from then on the turn needs no store until it ends.
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = new ScriptedBackend();
        backend.Script = (request, ct) =>
        {
            if (request.Text != "first")
                return ScriptedBackend.Stream("Echo: " + request.Text, cancellationToken: ct);
            streaming.TrySetResult();
            return Hang(ct);
        };
        var channel = new RecordingChannel();
        var outage = new StoreOutage();
        var cutOff = await StartBehindAsync(outage, "cut-off", backend, channel, leaseTimeout);
        var other = await StartAsync("other", backend, channel, leaseTimeout);

        var first = await cutOff.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await streaming.Task.WaitAsync(Patience);
        outage.Down();
        var second = await other.Service.AcceptAsync(channel.Message("c1", "second", "m2"));

        // The cut-off instance ends its own turn (it can no longer know whether it holds the lease); the other takes over.
        Assert.Equal(TurnStatus.Interrupted, await first.Answered.WaitAsync(Patience));
        Assert.Equal(TurnStatus.Completed, await second.Answered.WaitAsync(Patience));
        outage.Up();
        var later = await cutOff.Service.AcceptAsync(channel.Message("c2", "later", "m3"));

        Assert.Equal(TurnStatus.Completed, await later.Answered.WaitAsync(Patience));
        Assert.Equal("Echo: later", Assert.Single(channel.RepliesTo("c2/m3")).Text);
        // Told once that the first answer was lost (by the instance that took over), and not told anything else about it.
        var endings = channel.RepliesTo("c1/m1").Where(r => r.Final is not null).Select(r => r.Final!.Ending?.Kind).ToList();
        Assert.Equal([ReplyEndingKind.Interrupted], endings);
        Assert.Equal("Echo: second", Assert.Single(channel.RepliesTo("c1/m2")).Text);
        Assert.Equal(["first", "second", "later"], backend.Requests.Select(r => r.Text));
    }

    [Fact]
    public async Task A_holder_cut_off_from_the_store_for_less_than_the_lease_timeout_goes_on_with_its_turn()
    {
        var leaseTimeout = TimeSpan.FromSeconds(6);
        var gate = new TaskCompletionSource();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = new ScriptedBackend
        {
            Script = (request, ct) =>
            {
                streaming.TrySetResult();
                return WaitThenEcho(request, gate.Task, ct);
            },
        };
        var channel = new RecordingChannel();
        var outage = new StoreOutage();
        var cutOff = await StartBehindAsync(outage, "cut-off", backend, channel, leaseTimeout);
        await StartAsync("other", backend, channel, leaseTimeout);

        var first = await cutOff.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await streaming.Task.WaitAsync(Patience);
        outage.Down();
        var failed = outage.FailedCalls;
        // At least one heartbeat (every lease timeout / 3) fails while the store is away.
        while (outage.FailedCalls == failed)
            await Task.Delay(50);
        outage.Up();
        gate.SetResult();

        Assert.Equal(TurnStatus.Completed, await first.Answered.WaitAsync(Patience));
        Assert.Equal("Echo: first", Assert.Single(channel.RepliesTo("c1/m1")).Text);
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task A_holder_whose_leases_lapsed_goes_on_with_its_turn_when_the_store_comes_back_before_anyone_took_them()
    {
        var leaseTimeout = TimeSpan.FromSeconds(2);
        var gate = new TaskCompletionSource();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var backend = new ScriptedBackend
        {
            Script = (request, ct) =>
            {
                streaming.TrySetResult();
                return WaitThenEcho(request, gate.Task, ct);
            },
        };
        var channel = new RecordingChannel();
        var outage = new StoreOutage();
        var log = new ListLogger<ConversationService>();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new ListLoggerProvider<ConversationService>(log)));
        var store = CreateStore();
        _stores.Add(store);
        var alone = await ClusterInstance.StartAsync(outage.WrapCluster(store), "alone", backend, channel, leaseTimeout, loggers);
        _instances.Add(alone);

        var first = await alone.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await streaming.Task.WaitAsync(Patience);
        outage.Down();
        // No heartbeat for a lease timeout: the leases may have expired, but nobody can take them while the store is away.
        while (log.Count(3440) == 0)
            await Task.Delay(20);
        outage.Up();
        while (log.Count(3441) == 0)
            await Task.Delay(20);
        gate.SetResult();

        Assert.Equal(TurnStatus.Completed, await first.Answered.WaitAsync(Patience));
        Assert.Equal("Echo: first", Assert.Single(channel.RepliesTo("c1/m1")).Text);
        Assert.Equal(0, log.Count(3443));
    }

    [Fact]
    public async Task A_second_process_with_the_instance_id_of_a_running_one_refuses_to_start_naming_Cluster_InstanceId()
    {
        var leaseTimeout = TimeSpan.FromSeconds(3);
        var backend = new ScriptedBackend();
        var channel = new RecordingChannel();
        var running = await StartAsync("same-machine", backend, channel, leaseTimeout);

        var store = CreateStore();
        _stores.Add(store);
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => ClusterInstance.StartAsync(store, "same-machine", backend, channel, leaseTimeout));

        Assert.Contains("Cluster:InstanceId", Assert.Single(refused.Failures), StringComparison.Ordinal);
        Assert.Contains("'same-machine'", refused.Message, StringComparison.Ordinal);
        // The running instance was not disturbed: it still answers.
        var answered = await running.Service.AcceptAsync(channel.Message("c1", "still here", "m1"));
        Assert.Equal(TurnStatus.Completed, await answered.Answered.WaitAsync(Patience));
    }

    [Fact]
    public async Task An_instance_restarted_after_a_crash_starts_under_its_old_id_and_finishes_what_the_crash_left()
    {
        var leaseTimeout = TimeSpan.FromSeconds(1);
        var backend = new ScriptedBackend();
        backend.Script = (request, ct) => request.Text == "first" ? Hang(ct) : ScriptedBackend.Stream("Echo: " + request.Text, cancellationToken: ct);
        var channel = new RecordingChannel();
        var crashedStore = CreateStore();
        var crashing = await ClusterInstance.StartAsync(crashedStore, "restarting", backend, channel, leaseTimeout);
        _instances.Add(crashing);
        await crashing.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        // The crash: the process's connection is gone mid-turn; its instances row keeps a recent heartbeat.
        await crashedStore.DisposeAsync();

        var restarted = await StartAsync("restarting", backend, channel, leaseTimeout);
        var next = await restarted.Service.AcceptAsync(channel.Message("c1", "second", "m2"));

        Assert.Equal(TurnStatus.Completed, await next.Answered.WaitAsync(Patience));
        Assert.Single(channel.RepliesTo("c1/m1"), r => r.Final?.Ending?.Kind == ReplyEndingKind.Interrupted);
        Assert.Equal("Echo: second", Assert.Single(channel.RepliesTo("c1/m2")).Text);
        Assert.Equal(["restarting"], (await ((IConversationLeases)restarted.Store).GetInstancesAsync()).Select(i => i.InstanceId));
    }

    private async Task<ClusterInstance> StartBehindAsync(StoreOutage outage, string id, Bot.Core.Backends.IAssistantBackend backend,
        RecordingChannel channel, TimeSpan leaseTimeout)
    {
        var store = CreateStore();
        _stores.Add(store);
        var instance = await ClusterInstance.StartAsync(outage.WrapCluster(store), id, backend, channel, leaseTimeout);
        _instances.Add(instance);
        return instance;
    }
}
