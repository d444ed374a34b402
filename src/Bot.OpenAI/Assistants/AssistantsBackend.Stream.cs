using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Bot.Core.Backends;
using RunEventReader = Bot.OpenAI.Streaming.SseEventReader<System.Collections.Generic.IReadOnlyList<Bot.Core.Backends.AssistantEvent>>;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// The run streams of a turn: a new run, or the continuation after tool outputs, sent by the SDK's protocol methods
/// and read by the reader the Responses backend uses too.
/// </summary>
public sealed partial class AssistantsBackend
{
    /// <summary>
    /// Starts the streamed run (POST /threads/{id}/runs). An assistant the bot created that the service no longer
    /// knows (deleted by someone) is created again, once.
    /// </summary>
    private async Task<RunEventReader> StartRunAsync(string threadId, RunOverrides overrides, RunStreamTranslator translator, CancellationToken cancellationToken)
    {
        var assistantId = await _assistant.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await CreateRunAsync(threadId, assistantId, overrides, translator, cancellationToken).ConfigureAwait(false);
        }
        catch (AssistantFailureException e) when (e.InnerException is ClientResultException { Status: 404 } && e.Message.Contains(assistantId, StringComparison.Ordinal))
        {
            if (!await _assistant.ForgetAsync(assistantId, cancellationToken).ConfigureAwait(false))
                throw;
            Log.AssistantMissing(_logger, assistantId);
            assistantId = await _assistant.GetAsync(cancellationToken).ConfigureAwait(false);
            return await CreateRunAsync(threadId, assistantId, overrides, translator, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<RunEventReader> CreateRunAsync(string threadId, string assistantId, RunOverrides overrides, RunStreamTranslator translator,
        CancellationToken cancellationToken)
    {
        // {"assistant_id":"asst_…","truncation_strategy":{"type":"auto"},"stream":true}: a long thread drops its oldest
        // messages to fit the model's context rather than fail. A place's model, instructions or tools are added when
        // they differ from the assistant's.
        using var content = Body(w =>
        {
            w.WriteString("assistant_id", assistantId);
            WriteOverrides(w, overrides, _tools);
            w.WriteStartObject("truncation_strategy");
            w.WriteString("type", "auto");
            w.WriteEndObject();
        });
        return await RunEventReader.OpenAsync(request => Clients.Assistants.CreateRunAsync(threadId, content, request), translator.Translate,
            Options.NetworkTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the function results of a paused run (POST …/runs/{id}/submit_tool_outputs) and streams its continuation.</summary>
    private async Task<RunEventReader> SubmitToolOutputsAsync(string threadId, string runId, IReadOnlyList<(string CallId, string Output)> outputs,
        RunStreamTranslator translator, CancellationToken cancellationToken)
    {
        // {"tool_outputs":[{"tool_call_id":"call_…","output":"…"}],"stream":true}
        using var content = Body(w =>
        {
            w.WriteStartArray("tool_outputs");
            foreach (var (callId, output) in outputs)
            {
                w.WriteStartObject();
                w.WriteString("tool_call_id", callId);
                w.WriteString("output", output);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        return await RunEventReader.OpenAsync(request => Clients.Assistants.SubmitToolOutputsToRunAsync(threadId, runId, content, request),
            translator.Translate, Options.NetworkTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves to the next event. A broken connection once the run is known ends the stream (the run is then fetched);
    /// an <c>error</c> event and every other failure end the turn.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> MoveNextAsync(RunEventReader stream, RunStreamTranslator translator)
    {
        try
        {
            return await stream.MoveNextAsync().ConfigureAwait(false);
        }
        catch (AssistantFailureException cut) when (cut.Kind == FailureKind.StreamCut && translator.RunId is not null)
        {
            translator.Broken = cut;
            return false;
        }
    }

    // A JSON request body with the given properties and "stream": true.
    private static BinaryContent Body(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteBoolean("stream", true);
            writer.WriteEndObject();
        }

        return BinaryContent.Create(new BinaryData(buffer.ToArray()));
    }
}
