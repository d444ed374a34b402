using System.Collections.Concurrent;
using System.Reflection;
using Bot.Core.Storage;

namespace Bot.Web.Tests;

/// <summary>
/// Counts what the bot asks of its store: the real SQLite store behind a proxy that records every call that writes
/// (and the keys of <c>SetValueAsync</c>), so a test can say "this wrote nothing".
/// </summary>
public class StoreCalls : DispatchProxy
{
    private static readonly HashSet<string> s_reads = new(StringComparer.Ordinal)
    {
        nameof(IConversationStore.InitializeAsync), nameof(IConversationStore.FindConversationAsync), nameof(IConversationStore.GetRemoteObjectsAsync),
        nameof(IConversationStore.GetUnfinishedInboxAsync), nameof(IConversationStore.GetTurnAsync), nameof(IConversationStore.GetValueAsync),
    };

    private readonly ConcurrentQueue<string> _writes = new();
    private IConversationStore _inner = null!;

    /// <summary>Every write so far: the method's name, and for SetValueAsync its key.</summary>
    public IReadOnlyList<string> Writes => [.. _writes];

    public static IConversationStore Wrap(IConversationStore inner, out StoreCalls calls)
    {
        var proxy = Create<IConversationStore, StoreCalls>();
        calls = (StoreCalls)(object)proxy;
        calls._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!s_reads.Contains(targetMethod.Name))
            _writes.Enqueue(targetMethod.Name == nameof(IConversationStore.SetValueAsync) ? $"SetValueAsync {args![0]}" : targetMethod.Name);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
