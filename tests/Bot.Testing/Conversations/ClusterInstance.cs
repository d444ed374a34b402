using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Testing.Conversations;

/// <summary>
/// One bot instance of several on one store: its own conversation service (lanes, leases, heartbeat, poll) and channel
/// registry, sharing the store's database, the backend and the recording channel with the other instances.
/// </summary>
public sealed class ClusterInstance : IAsyncDisposable
{
    private ClusterInstance(ConversationService service, IConversationStore store)
    {
        Service = service;
        Store = store;
    }

    public ConversationService Service { get; }

    public IConversationStore Store { get; }

    /// <summary>
    /// Starts an instance on <paramref name="store"/> (not yet initialized) with a short lease timeout and poll (100 ms
    /// unless <paramref name="pollInterval"/> says otherwise), default lane limits unless <paramref name="conversations"/> given,
    /// and the store's <paramref name="notifications"/> when given.
    /// </summary>
    public static async Task<ClusterInstance> StartAsync<TStore>(TStore store, string instanceId, IAssistantBackend backend,
        RecordingChannel channel, TimeSpan leaseTimeout, ILoggerFactory? loggerFactory = null, ConversationOptions? conversations = null,
        IStoreNotifications? notifications = null,
        TimeSpan? pollInterval = null)
        where TStore : IConversationStore, IConversationLeases
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var registry = new ChannelRegistry();
        var policy = new AttachmentPolicy(new AttachmentOptions(), backend.CodeInterpreterEnabled, backend.FileSearchEnabled);
        var cluster = new ClusterOptions { InstanceId = instanceId, LeaseTimeout = leaseTimeout, PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(100) };
        var service = new ConversationService(store, new BackendCatalog(backend), registry, policy, Options.Create(conversations ?? new ConversationOptions()),
            TimeProvider.System, loggerFactory.CreateLogger<ConversationService>(), leases: store, cluster: Options.Create(cluster),
            notifications: notifications);
        await service.StartAsync(CancellationToken.None);
        await new ChannelStartup(registry, service).StartAsync(channel);
        return new ClusterInstance(service, store);
    }

    /// <summary>A clean stop: running turns end, the instance's leases are handed back.</summary>
    public async ValueTask DisposeAsync() => await Service.DisposeAsync();
}
