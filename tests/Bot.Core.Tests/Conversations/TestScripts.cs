using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Testing.Backends;
using Bot.Testing.Channels;

namespace Bot.Core.Tests.Conversations;

/// <summary>Scripts the conversation tests share. None of them waits for real time: they wait for a gate, or forever.</summary>
internal static class TestScripts
{
    /// <summary>The first words of an answer.</summary>
    internal const string FirstWords = "Thinking";

    /// <summary>A recording channel without edit pacing, for tests on a <see cref="Bot.Testing.ManualClock"/> that are not about pacing.</summary>
    internal static RecordingChannel Unpaced() => new(limits: new ChannelLimits(2000, TimeSpan.Zero, 8 * 1024 * 1024));

    internal static async IAsyncEnumerable<AssistantEvent> Events(params AssistantEvent[] events)
    {
        foreach (var assistantEvent in events)
        {
            await Task.Yield();
            yield return assistantEvent;
        }
    }

    /// <summary>A backend that starts answering and then never finishes: the turn runs until it is stopped.</summary>
    internal static async IAsyncEnumerable<AssistantEvent> StartsThenHangs([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new TextDelta("p", FirstWords);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

#pragma warning disable CS1998 // an iterator that throws before yielding
    internal static async IAsyncEnumerable<AssistantEvent> Failing(Exception exception)
    {
        throw exception;
#pragma warning disable CS0162
        yield break;
#pragma warning restore CS0162
    }
#pragma warning restore CS1998

    internal static async IAsyncEnumerable<AssistantEvent> WaitThenEcho(TurnRequest request, Task gate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        await foreach (var assistantEvent in ScriptedBackend.Stream("Echo: " + request.Text, cancellationToken: cancellationToken))
            yield return assistantEvent;
    }
}
