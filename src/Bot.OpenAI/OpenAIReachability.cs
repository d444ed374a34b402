using System.ClientModel.Primitives;
using Bot.Core.Health;

namespace Bot.OpenAI;

/// <summary>
/// Remembers how the last call to OpenAI went (after the SDK's retries), for <c>/healthz/ready</c>: ready when it
/// answered or no call was made yet; not ready after a network failure, a 5xx or a refused key. Sees only status codes.
/// </summary>
internal sealed class OpenAIReachability(TimeProvider time) : PipelinePolicy, IReadinessCheck
{
    private volatile Outcome? _last;

    public string Name => "openai";

    public Readiness Check() => _last switch
    {
        null => Readiness.Yes("No call to OpenAI yet."),
        { Ready: true } last => Readiness.Yes($"OpenAI answered at {last.At:O}."),
        var last => Readiness.No($"The last call to OpenAI at {last.At:O} failed: {last.What}."),
    };

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        try
        {
            ProcessNext(message, pipeline, currentIndex);
        }
        catch (Exception ex) when (!message.CancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            throw;
        }

        Answered(message);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        try
        {
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }
        catch (Exception ex) when (!message.CancellationToken.IsCancellationRequested)
        {
            Failed(ex);
            throw;
        }

        Answered(message);
    }

    private void Answered(PipelineMessage message)
    {
        var status = message.Response?.Status ?? 0;
        _last = status switch
        {
            401 or 403 => new Outcome(false, $"HTTP {status} (check OpenAI:ApiKey)", time.GetUtcNow()),
            >= 500 => new Outcome(false, $"HTTP {status}", time.GetUtcNow()),
            _ => new Outcome(true, $"HTTP {status}", time.GetUtcNow()),
        };
    }

    private void Failed(Exception exception) => _last = new Outcome(false, exception.GetType().Name, time.GetUtcNow());

    private sealed record Outcome(bool Ready, string What, DateTimeOffset At);
}
