using System.Collections.Concurrent;
using System.Reflection;
using Bot.Core.Storage;
using Bot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.Tests;

/// <summary>
/// Counts what the bot asks of its store: the real SQLite store behind a proxy, in front of every store port, that
/// records every call that writes (and, for the typed records, what it wrote to), so a test can say "this wrote nothing".
/// </summary>
public class StoreCalls : DispatchProxy
{
    private static readonly HashSet<string> s_reads = new(StringComparer.Ordinal)
    {
        nameof(IStoreLifecycle.InitializeAsync), nameof(IStoreLifecycle.PingAsync), nameof(IConversationMappings.FindConversationAsync),
        nameof(IRemoteObjectRegistry.GetRemoteObjectsAsync), nameof(IRemoteObjectRegistry.GetNextDeletionDueAsync),
        nameof(IInbox.GetUnfinishedInboxAsync), nameof(ITurnLog.GetTurnAsync), nameof(IVisitorSessions.FindCurrentThreadAsync),
        nameof(IVisitorSessions.FindThreadOwnerAsync), nameof(IFollowedPlaces.IsPlaceFollowedAsync),
        nameof(IProvisionedAssistants.FindProvisionedAssistantAsync),
    };

    private static readonly HashSet<Type> s_records = [typeof(IFollowedPlaces), typeof(IVisitorSessions), typeof(IBotSecrets), typeof(IProvisionedAssistants)];

    private readonly ConcurrentQueue<string> _writes = new();
    private readonly ConcurrentQueue<string> _recordWrites = new();
    // The SQLite store implements each port (not this test's union of them), and each method the proxy sees is a port's own.
    private SqliteConversationStore _inner = null!;

    /// <summary>Every store port, for one proxy to stand in front of them all.</summary>
    public interface IStorePorts : IConversationStore, IFollowedPlaces, IVisitorSessions, IBotSecrets, IProvisionedAssistants;

    /// <summary>Every write so far: the method's name.</summary>
    public IReadOnlyList<string> Writes => [.. _writes];

    /// <summary>Every write to a typed record so far: the method's name and its first argument (a thread id, a secret's name).</summary>
    public IReadOnlyList<string> RecordWrites => [.. _recordWrites];

    /// <summary>
    /// Puts one proxy in front of the SQLite store for every store port; the returned function gives the recorder once a
    /// port was resolved (at start).
    /// </summary>
    public static Func<StoreCalls> Register(IServiceCollection services)
    {
        StoreCalls? calls = null;
        services.AddSingleton(sp =>
        {
            var proxy = Create<IStorePorts, StoreCalls>();
            calls = (StoreCalls)(object)proxy;
            calls._inner = sp.GetRequiredService<SqliteConversationStore>();
            return proxy;
        });
        foreach (var port in typeof(IStorePorts).GetInterfaces())
            services.AddSingleton(port, sp => sp.GetRequiredService<IStorePorts>());
        return () => calls ?? throw new InvalidOperationException("No store port was resolved yet.");
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (!s_reads.Contains(targetMethod.Name))
        {
            _writes.Enqueue(targetMethod.Name);
            if (s_records.Contains(targetMethod.DeclaringType!))
                _recordWrites.Enqueue($"{targetMethod.Name} {args![0]}");
        }

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
