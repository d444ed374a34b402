using System.Text.Json.Nodes;
using Bot.Core.Conversations;
using Bot.Core.DependencyInjection;
using Bot.Discord.DependencyInjection;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests;

/// <summary>
/// The Discord channel as the host runs it (a host built with the same Add* methods: the channel's hosted service over
/// the core, SQLite in a temp folder and the real Responses backend with the real SDK), connected to the loopback fake
/// Discord and the fake OpenAI. <see cref="Log"/> gets what every Discord class logs.
/// </summary>
internal sealed class DiscordHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder = new();
    private string? _databasePath;
    private int _nextMessage;

    private DiscordHarness(FakeDiscordServer discord, FakeOpenAIServer openAI)
    {
        Discord = discord;
        OpenAI = openAI;
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAIServer OpenAI { get; }

    private Action<DiscordOptions>? _configure;
    private IReadOnlyDictionary<string, string?> _settings = new Dictionary<string, string?>();
    private Action<IServiceCollection>? _services;
    private IHost _host = null!;

    public DiscordOptions Options { get; private set; } = null!;

    public DiscordBotService Service { get; private set; } = null!;

    public ConversationService Conversations { get; private set; } = null!;

    public SqliteConversationStore Store { get; private set; } = null!;

    /// <summary>The running bot's services (the channel, the approval broker).</summary>
    public IServiceProvider Services => _host.Services;

    public ListLogger<DiscordBotService> Log { get; } = new();

    /// <summary>What every class of the bot logs (core, backend, store, channel).</summary>
    public ListLogger<DiscordHarness> AllLog { get; } = new();

    /// <summary>The channel of the recorded mention.</summary>
    public const string GuildChannel = "1457510428359004343";

    /// <param name="settings">Configuration keys on top of the harness's own (for example OpenAI tools).</param>
    /// <param name="services">Changes to the services after the host's own (for example a <see cref="Bot.Testing.Storage.StoreOutage"/>).</param>
    public static async Task<DiscordHarness> StartAsync(Action<DiscordOptions>? configure = null, Action<FakeDiscordServer>? arrange = null,
        bool waitForReady = true, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var harness = new DiscordHarness(await FakeDiscordServer.StartAsync(), await FakeOpenAIServer.StartAsync())
        {
            _settings = settings ?? new Dictionary<string, string?>(),
            _services = services,
        };
        arrange?.Invoke(harness.Discord);
        await harness.StartBotAsync(configure);
        if (waitForReady)
            await harness.WaitUntilAsync(() => harness.Discord.Commands is not null, "the bot registers its commands after READY");
        return harness;
    }

    /// <summary>Stops the bot (channel, core, database) and starts it again on the same database, as a process restart would.</summary>
    public async Task RestartAsync()
    {
        await StopBotAsync();
        var commands = Discord.Requests.Count(r => r.Route == "PUT /applications/:id/commands");
        await StartBotAsync(_configure);
        await WaitUntilAsync(() => Discord.Requests.Count(r => r.Route == "PUT /applications/:id/commands") > commands, "the restarted bot's READY");
    }

    /// <summary>
    /// Starts the bot again as after a crash: on the database as it is on disk now (a consistent copy, taken while a
    /// turn may be running), so that the restarted bot finds what the crash left unfinished. The bot that "crashed" is
    /// stopped and its database set aside; whatever it does while stopping never reaches the restarted bot's store.
    /// </summary>
    public async Task RestartAfterCrashAsync()
    {
        var crashed = _folder.File($"crashed-{Guid.NewGuid():N}.db");
        using (var disk = new SqliteConnection($"Data Source={_databasePath};Mode=ReadOnly;Pooling=False"))
        using (var copy = new SqliteConnection($"Data Source={crashed};Pooling=False"))
        {
            disk.Open();
            copy.Open();
            disk.BackupDatabase(copy);
        }

        _databasePath = crashed;
        await RestartAsync();
    }

    private async Task StopBotAsync()
    {
        await _host.StopAsync();
        await ((IAsyncDisposable)_host).DisposeAsync();
    }

    // The bot as the host composes it: the same Add* methods, configuration keys for what configuration can say,
    // then the test's changes to the Discord options (some of them, such as the HELLO timeout, are not settings).
    private async Task StartBotAsync(Action<DiscordOptions>? configure)
    {
        _configure = configure;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = OpenAI.BaseUri.ToString(),
            ["OpenAI:Model"] = "gpt-test",
            ["OpenAI:RetryBaseDelay"] = "00:00:00.010",
            ["Storage:Sqlite:Path"] = _databasePath ??= _folder.File("bot.db"),
            ["Discord:Token"] = FakeDiscordServer.DefaultToken,
            ["Discord:RestBaseUrl"] = Discord.RestBaseUri.ToString(),
            ["Discord:GatewayUrl"] = Discord.GatewayUri().ToString(),
            ["Discord:EditInterval"] = "00:00:00.200",
            ["Discord:ReconnectDelay"] = "00:00:00.050",
            ["Discord:IdentifyInterval"] = "00:00:00",
            ["Discord:AttachmentHosts:0"] = "127.0.0.1",
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider<DiscordBotService>(Log, "Bot.Discord"))
            .AddProvider(new ListLoggerProvider<DiscordHarness>(AllLog));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSqliteStorage(builder.Configuration).AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration)
            .AddDiscordChannel(builder.Configuration);
        _services?.Invoke(builder.Services);
        builder.Services.PostConfigure<DiscordOptions>(options =>
        {
            options.InvalidSessionDelay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(options);
        });
        _host = builder.Build();
        Options = _host.Services.GetRequiredService<DiscordOptions>();
        Service = _host.Services.GetRequiredService<DiscordBotService>();
        Conversations = _host.Services.GetRequiredService<ConversationService>();
        Store = _host.Services.GetRequiredService<SqliteConversationStore>();
        await _host.StartAsync();
    }

    /// <summary>The recorded guild mention, re-addressed: a new id, this text after the bot's mention, optionally another channel.</summary>
    public JsonObject Mention(string text, string channelId = GuildChannel, string authorId = "1033044521375764530")
    {
        var message = Discord.Fixture("message_create_guild_bot_mention.json");
        message["id"] = NextMessageId();
        message["channel_id"] = channelId;
        message["content"] = $"<@{Discord.BotUserId}> {text}";
        message["author"]!["id"] = authorId;
        return message;
    }

    /// <summary>A plain guild message (no mention), built from the recorded mention.</summary>
    public JsonObject Plain(string text, string channelId = GuildChannel)
    {
        var message = Mention(text, channelId);
        message["content"] = text;
        message["mentions"] = new JsonArray();
        return message;
    }

    /// <summary>A direct message (no guild, channel type 1).</summary>
    public JsonObject Direct(string text, string channelId = "1400000000000000001")
    {
        var message = Plain(text, channelId);
        message.Remove("guild_id");
        message.Remove("member");
        message["channel_type"] = 1;
        return message;
    }

    /// <summary>
    /// Whether the bot stored the message in its inbox: a probe that offers the same message id to the store, which
    /// refuses ids it has seen (the probe stores it when it had not been, so use it once, at the end of a test).
    /// </summary>
    public async Task<bool> WasStoredAsync(JsonObject message)
    {
        var probe = new IncomingMessage(new ConversationKey("discord", "probe"), message["id"]!.GetValue<string>(), new MessageAuthor("probe", "probe"),
            "probe", [], DateTimeOffset.UtcNow, "probe||probe");
        return await Store.TryAcceptAsync(probe, DateTimeOffset.UtcNow) is null;
    }

    /// <summary>The inbox status the store gave a message (read from the database file), or null when it is not there.</summary>
    public string? InboxStatusOf(JsonObject message)
    {
        using var connection = new SqliteConnection($"Data Source={_databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM inbox WHERE channel = 'discord' AND message_id = $id;";
        command.Parameters.AddWithValue("$id", message["id"]!.GetValue<string>());
        return command.ExecuteScalar() as string;
    }

    public string NextMessageId() => (1_460_000_000_000_000_000 + Interlocked.Increment(ref _nextMessage)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task<long> SendAsync(JsonObject message) => Discord.Gateway.DispatchAsync("MESSAGE_CREATE", message);

    /// <summary>The bot's reply messages to a user message (the first replies to it; continuations follow in the same channel).</summary>
    public IReadOnlyList<FakeMessage> RepliesTo(JsonObject message)
    {
        var all = Discord.MessagesIn(message["channel_id"]!.GetValue<string>());
        var first = all.FirstOrDefault(m => m.ReplyTo == message["id"]!.GetValue<string>());
        return first is null ? [] : [.. all.SkipWhile(m => m != first).TakeWhile((m, i) => i == 0 || m.ReplyTo is null)];
    }

    /// <summary>Waits until the reply to <paramref name="message"/> is final: the Stop button is gone.</summary>
    public async Task<IReadOnlyList<FakeMessage>> AnsweredAsync(JsonObject message)
    {
        await WaitUntilAsync(() => RepliesTo(message) is [var first, ..] && !first.HasStopButton, $"the answer to {message["content"]}");
        return RepliesTo(message);
    }

    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
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
        await StopBotAsync();
        await Discord.DisposeAsync();
        await OpenAI.DisposeAsync();
        _folder.Dispose();
    }
}
