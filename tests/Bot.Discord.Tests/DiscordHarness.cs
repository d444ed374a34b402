using System.Text.Json.Nodes;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Tools;
using Bot.OpenAI;
using Bot.OpenAI.Responses;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Tests;

/// <summary>
/// The Discord channel as the host runs it (its hosted service over the core, SQLite in a temp folder and the
/// real Responses backend with the real SDK), connected to the loopback fake Discord and the fake OpenAI.
/// </summary>
internal sealed class DiscordHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder = new();
    private int _nextMessage;
    private string _databasePath;

    private DiscordHarness(FakeDiscordServer discord, FakeOpenAIServer openAI)
    {
        Discord = discord;
        OpenAI = openAI;
        _databasePath = _folder.File("bot.db");
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAIServer OpenAI { get; }

    private Action<DiscordOptions>? _configure;

    public DiscordOptions Options { get; private set; } = null!;

    public DiscordBotService Service { get; private set; } = null!;

    public ConversationService Conversations { get; private set; } = null!;

    public SqliteConversationStore Store { get; private set; } = null!;

    public ListLogger<DiscordBotService> Log { get; } = new();

    /// <summary>The channel of the recorded mention.</summary>
    public const string GuildChannel = "1457510428359004343";

    public static async Task<DiscordHarness> StartAsync(Action<DiscordOptions>? configure = null, Action<FakeDiscordServer>? arrange = null,
        bool waitForReady = true)
    {
        var harness = new DiscordHarness(await FakeDiscordServer.StartAsync(), await FakeOpenAIServer.StartAsync());
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
        await Service.StopAsync(CancellationToken.None);
        Service.Dispose();
        await Conversations.DisposeAsync();
        await Store.DisposeAsync();
    }

    private async Task StartBotAsync(Action<DiscordOptions>? configure)
    {
        var options = new DiscordOptions
        {
            Token = FakeDiscordServer.DefaultToken,
            RestBaseUrl = Discord.RestBaseUri.ToString(),
            GatewayUrl = Discord.GatewayUri().ToString(),
            EditInterval = TimeSpan.FromMilliseconds(200),
            ReconnectDelay = TimeSpan.FromMilliseconds(50),
            InvalidSessionDelay = TimeSpan.FromMilliseconds(50),
            IdentifyInterval = TimeSpan.Zero,
        };
        options.AttachmentHosts.Add("127.0.0.1");
        configure?.Invoke(options);
        (Options, _configure) = (options, configure);

        var openAIOptions = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey, Endpoint = OpenAI.BaseUri.ToString(), Model = "gpt-test", RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        var conversationOptions = new ConversationOptions();
        var backend = new ResponsesBackend(new OpenAIClients(openAIOptions), openAIOptions,
            new FunctionToolRegistry([], Microsoft.Extensions.Options.Options.Create(conversationOptions), NullLogger<FunctionToolRegistry>.Instance),
            NullLogger<ResponsesBackend>.Instance);
        Store = new SqliteConversationStore(Microsoft.Extensions.Options.Options.Create(new SqliteStoreOptions { Path = _databasePath }),
            NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);
        var registry = new ChannelRegistry();
        Conversations = new ConversationService(Store, new BackendCatalog(backend), registry,
            new AttachmentPolicy(new AttachmentOptions(), backend.CodeInterpreterEnabled, backend.FileSearchEnabled),
            Microsoft.Extensions.Options.Options.Create(conversationOptions), TimeProvider.System, NullLogger<ConversationService>.Instance);
        await Conversations.StartAsync(CancellationToken.None);
        Service = new DiscordBotService(Microsoft.Extensions.Options.Options.Create(options), registry, Conversations, Store, TimeProvider.System, Log);
        await Service.StartAsync(CancellationToken.None);
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
