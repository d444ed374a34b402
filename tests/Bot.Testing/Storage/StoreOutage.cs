using System.Data.Common;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Testing.Storage;

/// <summary>What one cluster instance needs of a store, as one type (for a proxy).</summary>
public interface IClusterStore : IConversationStore, IConversationLeases, IAsyncDisposable;

/// <summary>
/// A store that can be made unreachable: every store port resolves to a proxy of the real store that, while
/// <see cref="IsDown"/>, fails each call with a <see cref="DbException"/> (as a driver does when the database refuses or
/// drops the connection) and otherwise passes the call on. For in-process hosts; a real outage of PostgreSQL is
/// <see cref="Postgres.TcpGate"/>.
/// </summary>
public sealed class StoreOutage
{
    private volatile bool _down;

    /// <summary>True while every call to the store fails.</summary>
    public bool IsDown => _down;

    /// <summary>Calls to the store that failed because it was down.</summary>
    public int FailedCalls => Volatile.Read(ref _failed);

    private int _failed;

    private volatile TaskCompletionSource? _hang;

    /// <summary>Every call fails at once, as when the database refuses connections.</summary>
    public void Down() => _down = true;

    /// <summary>Every asynchronous call waits (until <see cref="Up"/> or its cancellation), as when packets to the database are dropped.</summary>
    public void Hang() => _hang = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends the outage: calls pass again, and calls that waited go on.</summary>
    public void Up()
    {
        _down = false;
        Interlocked.Exchange(ref _hang, null)?.TrySetResult();
    }

    /// <summary>Registers the proxies over every store port (call after the store's own Add*Storage).</summary>
    public IServiceCollection Apply<TStore>(IServiceCollection services) where TStore : class
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var port in StorePortsServiceCollectionExtensions.PortTypes)
            services.AddSingleton(port, provider => Wrap(port, provider.GetRequiredService<TStore>()));
        return services;
    }

    /// <summary>A proxy of <paramref name="store"/> as <typeparamref name="TPort"/> that fails while the outage lasts.</summary>
    public TPort Wrap<TPort>(object store) where TPort : class => (TPort)Wrap(typeof(TPort), store);

    private object Wrap(Type port, object store)
    {
        var proxy = DispatchProxy.Create(port, typeof(OutageProxy));
        var outage = (OutageProxy)proxy;
        outage.Inner = store;
        outage.Outage = this;
        return proxy;
    }

    /// <summary>A proxy of <paramref name="store"/> for one cluster instance (the store and its leases) that fails while the outage lasts.</summary>
    public IClusterStore WrapCluster(object store) => Wrap<IClusterStore>(store);

    /// <summary>What a driver throws when the database cannot be reached.</summary>
    public sealed class UnreachableException() : DbException("The database cannot be reached (a test outage).");

    /// <summary>The proxy behind every port.</summary>
    public class OutageProxy : DispatchProxy
    {
        internal object Inner { get; set; } = null!;

        internal StoreOutage Outage { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (Outage.IsDown && targetMethod.Name != nameof(IAsyncDisposable.DisposeAsync))
            {
                Interlocked.Increment(ref Outage._failed);
                throw new UnreachableException();
            }

            if (Outage._hang is { } hang && targetMethod.Name != nameof(IAsyncDisposable.DisposeAsync) && typeof(Task).IsAssignableFrom(targetMethod.ReturnType))
            {
                Interlocked.Increment(ref Outage._failed);
                var cancellation = args?.OfType<CancellationToken>().FirstOrDefault() ?? default;
                var waited = hang.Task.WaitAsync(cancellation);
                if (targetMethod.ReturnType == typeof(Task))
                    return AfterAsync<bool>(waited, targetMethod, args, untyped: true);
                var result = targetMethod.ReturnType.GetGenericArguments()[0];
                return typeof(OutageProxy).GetMethod(nameof(AfterAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(result)
                    .Invoke(this, [waited, targetMethod, args, false]);
            }

            try
            {
                return targetMethod.Invoke(Inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }

        // The call, once the hang is over.
        private async Task<T> AfterAsync<T>(Task waited, MethodInfo targetMethod, object?[]? args, bool untyped)
        {
            await waited;
            var task = (Task)Invoke(targetMethod, args)!;
            await task;
            return untyped ? default! : ((Task<T>)task).Result;
        }
    }
}
