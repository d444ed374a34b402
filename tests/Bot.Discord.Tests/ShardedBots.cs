using System.Text.Json.Nodes;
using Bot.Core.DependencyInjection;
using Bot.Discord.DependencyInjection;
using Bot.Discord.Gateway;
using Bot.Discord.Rest;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests;

/// <summary>
/// Several bot instances (hosts built as Bot.Host builds them) on one SQLite file with <c>Discord:ShardIds=auto</c>,
/// connected to one fake Discord (each instance its own gateway connections and REST client) and one fake OpenAI.
/// </summary>
internal sealed class ShardedBots : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Short, so that a takeover comes within a test's patience; instances renew every third of it.</summary>
    public static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(1.5);

    private readonly TempDirectory _folder = new();
    private readonly List<BotInstance> _instances = [];
    private int _nextMessage;

    private ShardedBots(FakeDiscordServer discord, FakeOpenAIServer openAI)
    {
        Discord = discord;
        OpenAI = openAI;
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAIServer OpenAI { get; }

    public int ShardCount { get; private init; }

    public IReadOnlyList<BotInstance> Instances => _instances;

    /// <summary>The fakes, with one more guild per shard (see <see cref="GuildOn"/>); no instance yet.</summary>
    public static async Task<ShardedBots> CreateAsync(int shardCount, Action<FakeDiscordServer>? arrange = null)
    {
        var bots = new ShardedBots(await FakeDiscordServer.StartAsync(), await FakeOpenAIServer.StartAsync()) { ShardCount = shardCount };
        for (var shard = 0; shard < shardCount; shard++)
            bots.Discord.Gateway.AddGuild(shard, shardCount);
        arrange?.Invoke(bots.Discord);
        return bots;
    }

    /// <summary>A guild whose events Discord sends on <paramref name="shard"/>.</summary>
    public string GuildOn(int shard) =>
        Discord.Gateway.GuildIds.Skip(1).First(g => FakeDiscordGateway.ShardOf(g, ShardCount) == shard);

    /// <summary>Starts an instance with this id (settings on top of the shared ones).</summary>
    public async Task<BotInstance> StartInstanceAsync(string instanceId, IReadOnlyDictionary<string, string?>? settings = null,
        Action<DiscordOptions>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = OpenAI.BaseUri.ToString(),
            ["OpenAI:Model"] = "gpt-test",
            ["OpenAI:RetryBaseDelay"] = "00:00:00.010",
            ["Storage:Sqlite:Path"] = _folder.File("bot.db"),
            ["Cluster:InstanceId"] = instanceId,
            ["Cluster:LeaseTimeout"] = LeaseTimeout.ToString(),
            ["Cluster:PollInterval"] = "00:00:00.100",
            ["Discord:Token"] = FakeDiscordServer.DefaultToken,
            ["Discord:RestBaseUrl"] = Discord.RestBaseUri.ToString(),
            ["Discord:ShardIds"] = "auto",
            ["Discord:ShardCount"] = ShardCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Discord:EditInterval"] = "00:00:00.200",
            ["Discord:ReconnectDelay"] = "00:00:00.050",
            ["Discord:IdentifyInterval"] = "00:00:00",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        var log = new ListLogger<DiscordHarness>();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(new ListLoggerProvider<DiscordHarness>(log));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSqliteStorage(builder.Configuration).AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration)
            .AddDiscordChannel(builder.Configuration);
        builder.Services.PostConfigure<DiscordOptions>(options =>
        {
            options.InvalidSessionDelay = TimeSpan.FromMilliseconds(50);
            options.IdentifyMargin = TimeSpan.FromMilliseconds(100);
            configure?.Invoke(options);
        });
        var host = builder.Build();
        var instance = new BotInstance(instanceId, host, log);
        _instances.Add(instance);
        await host.StartAsync();
        return instance;
    }

    /// <summary>The recorded guild mention, by Alice, re-addressed to a guild and channel with a new id.</summary>
    public JsonObject Mention(string guildId, string channelId, string text)
    {
        var message = Discord.Fixture("message_create_guild_bot_mention.json");
        message["id"] = (1_470_000_000_000_000_000 + Interlocked.Increment(ref _nextMessage)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["guild_id"] = guildId;
        message["channel_id"] = channelId;
        message["content"] = $"<@{Discord.BotUserId}> {text}";
        return message;
    }

    /// <summary>The bot's replies to a message (each one a new message that replies to it).</summary>
    public IReadOnlyList<FakeMessage> RepliesTo(JsonObject message) =>
        [.. Discord.MessagesIn(message["channel_id"]!.GetValue<string>()).Where(m => m.ReplyTo == message["id"]!.GetValue<string>())];

    /// <summary>Waits until the message has a final reply (no Stop button left).</summary>
    public Task AnsweredAsync(JsonObject message) =>
        WaitUntilAsync(() => RepliesTo(message) is [var first, ..] && !first.HasStopButton, $"the answer to {message["content"]}");

    /// <summary>
    /// Waits until every instance runs its share (the counts given) and each of its shards is connected: the instance's
    /// session of it is the one the fake's shard has now, and the fake's shard is live.
    /// </summary>
    public Task SplitAsync(params int[] shares) =>
        WaitUntilAsync(() => _instances.Select(i => i.Shards.RunningShards.Count).SequenceEqual(shares) &&
                             _instances.All(i => i.Shards.RunningShards.All(s =>
                                 i.Shards.SessionIdOf(s) is { } session && session == Discord.Gateway.SessionOf(s) && Discord.Gateway.IsShardLive(s))),
            $"the shards split as {string.Join('/', shares)}");

    /// <summary>Waits until <paramref name="instance"/> runs every shard, each connected on its session.</summary>
    public Task AllOnAsync(BotInstance instance, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => instance.Shards.RunningShards.Count == ShardCount &&
                             Enumerable.Range(0, ShardCount).All(s =>
                                 instance.Shards.SessionIdOf(s) is { } session && session == Discord.Gateway.SessionOf(s) && Discord.Gateway.IsShardLive(s)),
            $"{instance.Id} to run every shard", timeout);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
            await instance.DisposeAsync();
        await Discord.DisposeAsync();
        await OpenAI.DisposeAsync();
        _folder.Dispose();
    }
}

/// <summary>One bot instance of <see cref="ShardedBots"/>.</summary>
internal sealed class BotInstance(string id, IHost host, ListLogger<DiscordHarness> log) : IAsyncDisposable
{
    private bool _stopped;

    public string Id { get; } = id;

    public IServiceProvider Services => host.Services;

    public ShardCoordinator Shards => host.Services.GetRequiredService<ShardCoordinator>();

    public DiscordRestClient Rest => host.Services.GetRequiredService<DiscordRestClient>();

    public ListLogger<DiscordHarness> Log { get; } = log;

    /// <summary>
    /// The instance dies without a word: its database connection is gone (no heartbeat, no renewal, no release), so
    /// its shards close within the lease timeout and the other instances take them over.
    /// </summary>
    public async Task CrashAsync() => await host.Services.GetRequiredService<SqliteConversationStore>().DisposeAsync();

    /// <summary>A clean stop: the instance hands its shards and conversations back.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
    }
}
