using System.Runtime.CompilerServices;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;

namespace Bot.Core.Tests.Conversations;

/// <summary>Scripts and waits the conversation tests share.</summary>
internal static class TestScripts
{
    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        for (var waited = 0; waited < timeoutMs && !condition(); waited += 10)
            await Task.Delay(10);
        Assert.True(condition(), "condition not met in time");
    }

    internal static async IAsyncEnumerable<AssistantEvent> Events(params AssistantEvent[] events)
    {
        foreach (var assistantEvent in events)
        {
            await Task.Yield();
            yield return assistantEvent;
        }
    }

    internal static async IAsyncEnumerable<AssistantEvent> Endless([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            yield return new TextDelta("p", $"tick{i} ");
            await Task.Delay(20, cancellationToken);
        }
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

    internal static async IAsyncEnumerable<AssistantEvent> Counting(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken,
        Action enter, Action leave)
    {
        enter();
        try
        {
            await Task.Delay(100, cancellationToken);
            await foreach (var assistantEvent in ScriptedBackend.Stream("ok", cancellationToken: cancellationToken))
                yield return assistantEvent;
        }
        finally
        {
            leave();
        }
    }

    internal static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)))
            Interlocked.CompareExchange(ref target, value, current);
    }
}
