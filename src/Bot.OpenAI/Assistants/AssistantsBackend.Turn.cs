using System.ClientModel;
using System.Runtime.CompilerServices;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using OpenAI.Assistants;
using RunEventReader = Bot.OpenAI.Streaming.SseEventReader<System.Collections.Generic.IReadOnlyList<Bot.Core.Backends.AssistantEvent>>;

namespace Bot.OpenAI.Assistants;

public sealed partial class AssistantsBackend
{
    public async IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var threadId = await AddMessageAsync(request.Thread, request, cancellationToken).ConfigureAwait(false);
        if (request.Files.Any(f => f.Target == AttachmentTarget.FileSearch))
            await RecordThreadVectorStoreAsync(request.Thread, threadId, cancellationToken).ConfigureAwait(false);

        var overrides = OverridesFor(request.Overrides);
        Func<RunStreamTranslator, Task<RunEventReader>> open = translator => StartRunAsync(threadId, overrides, translator, cancellationToken);
        await foreach (var assistantEvent in RunRoundsAsync(new RunLoop(threadId, request.Thread, request.Checkpoint, null), open, cancellationToken)
            .ConfigureAwait(false))
            yield return assistantEvent;
    }

    /// <summary>What the rounds of one turn share.</summary>
    /// <param name="FollowRunId">A run an earlier process left: the first round follows it (polls) instead of streaming a new one.</param>
    private sealed record RunLoop(string ThreadId, RemoteThread Thread, TurnCheckpoint? Checkpoint, string? FollowRunId);

    /// <summary>
    /// The rounds of a turn: each run stream (or, for a run left by an earlier process, the run followed to its end or
    /// its next function calls) rendered, its function calls run and their outputs submitted, until the run ends.
    /// </summary>
    private async IAsyncEnumerable<AssistantEvent> RunRoundsAsync(RunLoop turn, Func<RunStreamTranslator, Task<RunEventReader>>? open,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var threadId = turn.ThreadId;
        var output = new TurnOutput(this, turn.Thread);
        var runId = turn.FollowRunId;
        var ended = false;
        try
        {
            for (var round = 1; ; round++)
            {
                var translator = new RunStreamTranslator();
                if (open is null)
                {
                    // Picked up after a restart: the run went on at the service meanwhile.
                    await RecoverCutStreamAsync(threadId, runId, translator, output, cancellationToken).ConfigureAwait(false);
                    if (translator.RequiredCalls.Count > 0)
                        EnsureRerunnable(runId!, translator.RequiredCalls);
                }
                else
                {
                    await using var stream = await FailureMapping.GuardAsync(() => open(translator), cancellationToken).ConfigureAwait(false);
                    while (await MoveNextAsync(stream, translator).ConfigureAwait(false))
                    {
                        // By index: a foreach over the interface would box the list's enumerator for every event.
                        var events = stream.Current;
                        for (var i = 0; i < events.Count; i++)
                            yield return events[i];
                        if (runId is null && translator.RunId is { } started)
                            Follow(turn, runId = started);
                        if (translator.FinishedMessages.Count > 0)
                        {
                            foreach (var assistantEvent in await output.RenderAsync(translator, cancellationToken).ConfigureAwait(false))
                                yield return assistantEvent;
                        }
                    }

                    runId = translator.RunId ?? runId;
                    if (translator.Broken is not null)
                        translator.RequiredCalls.Clear();
                    if (translator.Terminal is null && translator.RequiredCalls.Count == 0)
                        await RecoverCutStreamAsync(threadId, runId, translator, output, cancellationToken).ConfigureAwait(false);
                }

                foreach (var assistantEvent in await output.RenderAsync(translator, cancellationToken).ConfigureAwait(false))
                    yield return assistantEvent;
                foreach (var file in await output.DownloadAsync(translator, cancellationToken).ConfigureAwait(false))
                    yield return file;

                if (translator.Terminal is { } run)
                {
                    ended = true;
                    _idleThreads[threadId] = true;
                    if (run.Usage is { } usage)
                        yield return new UsageReported(RunUsage.Of(usage));
                    yield return Finish(run);
                    yield break;
                }

                if (round >= Options.MaxToolRounds)
                    throw new AssistantFailureException(FailureKind.ServiceError, $"The assistant asked for functions in more than {Options.MaxToolRounds} rounds.");

                Log.RunFunctionCalls(_logger, runId!, translator.RequiredCalls.Count, round);
                // Recorded before the events that say so: the core stores the resume point when it sees the change.
                turn.Checkpoint?.RunningTool = RunningToolOf(translator.RequiredCalls);
                foreach (var call in translator.RequiredCalls)
                    yield return new ToolActivity(ToolKind.Function, Running: true, call.FunctionName);
                var results = await Task.WhenAll(translator.RequiredCalls.Select(call =>
                    _tools.InvokeAsync(call.FunctionName, call.Arguments, cancellationToken))).ConfigureAwait(false);
                turn.Checkpoint?.RunningTool = null;
                yield return new ToolActivity(ToolKind.Function, Running: false);

                var outputs = translator.RequiredCalls.Select((call, i) => (call.CallId, results[i])).ToList();
                var pausedRunId = runId!;
                open = next => SubmitToolOutputsAsync(threadId, pausedRunId, outputs, next, cancellationToken);
            }
        }
        finally
        {
            if (runId is not null)
                _runThreads.TryRemove(runId, out _);

            // Stopped, reset, failed or cut short: a run left going would lock the thread for the next turn. Cancelled, it
            // is nothing a later process could follow either.
            if (!ended && runId is not null)
            {
                turn.Checkpoint?.Resumable = false;
                await AbandonRunAsync(threadId, runId).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The turn's end as the run's terminal status says: an answer, a shortened one, or a failure.</summary>
    private static TurnFinished Finish(ThreadRun run)
    {
        if (run.Status == RunStatus.Completed)
            return new TurnFinished();
        if (run.Status == RunStatus.Incomplete)
            return new TurnFinished(Incomplete: true, OutputText.ReasonOf(run.IncompleteDetails?.Reason?.ToString() ?? "max_completion_tokens"));
        if (run.Status == RunStatus.Cancelled)
            return new TurnFinished(Incomplete: true, IncompleteReason.Other); // cancelled on the service's side
        if (run.Status == RunStatus.Expired)
            throw new AssistantFailureException(FailureKind.ServiceError, $"Run {run.Id} expired before it finished.");
        throw FailureMapping.FromErrorCode(run.LastError?.Code.ToString(), run.LastError?.Message ?? $"Run {run.Id} failed.");
    }

    /// <summary>
    /// A stream that ended without a terminal run event (a dropped connection or a proxy's cut): the run goes on
    /// at the service, so it is fetched (and waited for) and handled by its real status (openai.md §0).
    /// </summary>
    private async Task RecoverCutStreamAsync(string threadId, string? runId, RunStreamTranslator translator, TurnOutput output,
        CancellationToken cancellationToken)
    {
        if (runId is null)
            throw new AssistantFailureException(FailureKind.StreamCut, "The run stream ended before it named its run.");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.NetworkTimeout);
        ThreadRun run;
        try
        {
            run = await Call(() => Clients.Assistants.GetRunAsync(threadId, runId, deadline.Token), deadline.Token).ConfigureAwait(false);
            while (!run.Status.IsTerminal && run.Status != RunStatus.RequiresAction)
            {
                await Task.Delay(s_runPoll, deadline.Token).ConfigureAwait(false);
                run = await Call(() => Clients.Assistants.GetRunAsync(threadId, runId, deadline.Token), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AssistantFailureException(FailureKind.StreamCut, $"The stream of run {runId} broke and the run did not end in time.", e);
        }

        Log.RunStreamCut(_logger, runId, run.Status.ToString());
        translator.Adopt(run);
        if (!run.Status.IsTerminal)
            return;

        // The messages the run wrote, newest first down to the user's message that started it.
        var written = new List<ThreadMessage>();
        var messages = Clients.Assistants.GetMessagesAsync(threadId, new MessageCollectionOptions { Order = MessageCollectionOrder.Descending },
            cancellationToken);
        await foreach (var message in messages.ConfigureAwait(false))
        {
            if (message.RunId != runId)
                break;
            written.Add(message);
        }

        written.Reverse();
        translator.FinishedMessages.AddRange(written.Where(m => !output.HasRendered(m.Id)));
    }
}
