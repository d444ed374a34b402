using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;

namespace Bot.Core.Tests.Conversations;

/// <summary>A takeover finishes the half-written answer of a silent instance into the message that instance posted.</summary>
public abstract partial class TwoInstanceTests<TStore>
{
    [Fact]
    public async Task A_silent_instances_half_written_answer_is_finished_by_the_other_into_the_same_message()
    {
        var leaseTimeout = TimeSpan.FromSeconds(2);
        var backend = new ScriptedBackend
        {
            Resumable = true,
            Script = (_, ct) => HalfThenHang(ct),
            ResumeScript = (request, _, ct) => Whole(request.ResponseId, ct),
        };
        var channel = new RecordingChannel();
        var crashedStore = CreateStore();
        var crashing = await ClusterInstance.StartAsync(crashedStore, "crashing", backend, channel, leaseTimeout);
        _instances.Add(crashing);
        var survivor = await StartAsync("survivor", backend, channel, leaseTimeout);

        await crashing.Service.AcceptAsync(channel.Message("c1", "first", "m1"));
        await channel.Changes.UntilAsync(() => channel.PostedTo("c1/m1") is [var id] && channel.ShownText(id) == "Half of the");
        var message = Assert.Single(channel.PostedTo("c1/m1"));
        var turnId = await StoredResumePointAsync(survivor.Store, message);
        // The crash: the instance's database connection is gone, its heartbeat stops, its lease runs out.
        await crashedStore.DisposeAsync();

        await channel.Changes.UntilAsync(() => channel.ShownText(message) == "Half of the answer, finished.", leaseTimeout + Patience);

        Assert.Equal([message], channel.PostedTo("c1/m1"));
        Assert.Equal("resp_half", Assert.Single(backend.Resumes).ResponseId);
        // Finished from the stored response: no new response was asked for (the silent instance's stream only looks alive here).
        Assert.Single(backend.Requests);
        Assert.Equal(TurnStatus.Completed, await FinishedStatusAsync(survivor.Store, turnId));
    }

    private static async Task<long> StoredResumePointAsync(IConversationStore store, string messageId)
    {
        for (var i = 0; i < 600; i++)
        {
            var running = (await store.GetUnfinishedInboxAsync("test")).FirstOrDefault(r => r.TurnId is not null);
            if (running?.TurnId is { } turnId && (await store.GetTurnAsync(turnId))?.ResumePoint?.MessageIds is [var stored] && stored == messageId)
                return turnId;
            await Task.Delay(50);
        }

        throw new TimeoutException("The resume point of the running turn was never stored.");
    }

    private static async Task<TurnStatus?> FinishedStatusAsync(IConversationStore store, long turnId)
    {
        for (var i = 0; i < 600 && (await store.GetTurnAsync(turnId))?.Status == TurnStatus.Running; i++)
            await Task.Delay(50);
        return (await store.GetTurnAsync(turnId))?.Status;
    }

    private static async IAsyncEnumerable<AssistantEvent> HalfThenHang([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new ResponseStarted("resp_half");
        yield return new TextDelta("p0", "Half of the");
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static async IAsyncEnumerable<AssistantEvent> Whole(string responseId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        yield return new ResponseStarted(responseId);
        yield return new TextDelta("p0", "Half of the");
        yield return new TextDelta("p0", " answer, finished.");
        yield return new UsageReported(new TokenUsage(7, 4));
        yield return new TurnFinished();
    }
}
