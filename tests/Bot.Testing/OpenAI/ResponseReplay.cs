using System.Text;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>Serves a recorded fixture: byte-exact events, paced by the token interval, with the conversation kept in step.</summary>
internal sealed class ResponseReplay(FakeOpenAIState state, HttpContext context)
{
    public async Task RunAsync(StoredResponse placeholder, StoredConversation? conversation, string path)
    {
        var script = state.Replays.GetOrAdd(path, ReplayScript.Load);
        script.RegisterPlaceholders(state);

        // The replayed response keeps the recorded id; the conversation lock was taken under the fake's id.
        var response = new StoredResponse(script.ResponseId ?? placeholder.Id, FakeOpenAIState.Now(), placeholder.Request)
        {
            RecordedJson = script.FinalResponse,
        };
        var finalStatus = script.TerminalType?["response.".Length..] ?? "in_progress";
        state.Responses[response.Id] = response;
        var completed = script.TerminalType == "response.completed";
        if (!placeholder.Request.Public.Stream)
        {
            response.Status = finalStatus;
            state.Settle(placeholder, conversation, completed, script.OutputItems);
            await OpenAIHttp.OkAsync(context, script.FinalResponse ?? Encoding.UTF8.GetBytes("{}"), static (w, json) => w.WriteRawValue(json, skipInputValidation: true));
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, response.Cancellation.Token, state.Stopping);
        using var sse = ResponseEndpoints.StartStream(context);
        try
        {
            for (var i = 0; i < script.Events.Count; i++)
            {
                if (i > 0 && state.DefaultTokenInterval > TimeSpan.Zero)
                {
                    await Task.Delay(state.DefaultTokenInterval, cancellation.Token);
                }

                cancellation.Token.ThrowIfCancellationRequested();
                if (i == script.Events.Count - 1 && script.TerminalType is not null)
                {
                    // As for scripted responses: settle before the client can read the terminal event.
                    lock (response.Sync)
                    {
                        response.Status = response.Status == "cancelled" ? throw new OperationCanceledException() : finalStatus;
                    }

                    state.Settle(placeholder, conversation, completed, script.OutputItems);
                }

                await sse.WriteRawAsync(script.Events[i]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            lock (response.Sync)
            {
                response.Status = "cancelled";
            }
        }
    }
}
