using System.Text.Json.Nodes;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Discord;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks.Discord;

/// <summary>
/// The Discord channel's hosted service over the core (SQLite in a temp folder, the streaming Responses backend),
/// connected to the loopback fake Discord (buckets and the global limit enforced) and an in-process OpenAI fake.
/// </summary>
internal sealed class DiscordBench : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private SqliteConversationStore _store = null!;
    private ConversationService _conversations = null!;
    private int _next;

    private DiscordBench(FakeDiscordServer discord, FakeOpenAIServer openAI)
    {
        Discord = discord;
        OpenAI = openAI;
    }

    public FakeDiscordServer Discord { get; }

    public FakeOpenAIServer OpenAI { get; }

    public DiscordBotService Service { get; private set; } = null!;

    /// <summary>Starts everything; answers stream <paramref name="tokens"/> deltas, one per <paramref name="tokenInterval"/>.</summary>
    public static async Task<DiscordBench> StartAsync(TimeSpan editInterval, int tokens, TimeSpan tokenInterval)
    {
        var bench = new DiscordBench(await FakeDiscordServer.StartAsync(), await FakeOpenAIServer.StartAsync());
        bench.Discord.EchoBotMessages = false;
        var answer = Answers.Long(tokens);
        bench.OpenAI.Responder = _ => FakeResponse.Stream().TokenInterval(tokenInterval).Text(answer);
        await bench.StartBotAsync(editInterval);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (bench.Discord.Commands is null && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        return bench;
    }

    private async Task StartBotAsync(TimeSpan editInterval)
    {
        var conversations = new ConversationOptions { MaxConcurrentTurns = 2000 };
        var backend = BotSetup.Backend(ClientMode.Streaming, OpenAI.BaseUri, conversations);
        _store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = _folder.File("bot.db") }),
            NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);
        var registry = new ChannelRegistry();
        _conversations = new ConversationService(_store, new BackendCatalog(backend), registry,
            new AttachmentPolicy(new AttachmentOptions(), backend.CodeInterpreterEnabled, backend.FileSearchEnabled),
            Options.Create(conversations), TimeProvider.System, NullLogger<ConversationService>.Instance);
        await _conversations.StartAsync(CancellationToken.None);
        var options = new DiscordOptions
        {
            Token = Discord.Token,
            RestBaseUrl = Discord.RestBaseUri.ToString(),
            GatewayUrl = Discord.GatewayUri().ToString(),
            EditInterval = editInterval,
            ConversationScope = ConversationScope.User,
            RequestTimeout = TimeSpan.FromMinutes(10),
        };
        Service = new DiscordBotService(Options.Create(options), registry, _conversations, _store, TimeProvider.System,
            NullLogger<DiscordBotService>.Instance);
        await Service.StartAsync(CancellationToken.None);
    }

    /// <summary>Sends a mention of the bot with a unique question into a channel; returns the message.</summary>
    public async Task<JsonObject> AskAsync(string channelId, string question, string? authorId = null)
    {
        var message = Discord.Fixture("message_create_guild_bot_mention.json");
        var n = Interlocked.Increment(ref _next);
        message["id"] = (1_470_000_000_000_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["channel_id"] = channelId;
        message["author"]!["id"] = authorId ?? (1_480_000_000_000_000_000 + n).ToString(System.Globalization.CultureInfo.InvariantCulture);
        message["content"] = $"<@{Discord.BotUserId}> {question}";
        await Discord.Gateway.DispatchAsync("MESSAGE_CREATE", message);
        return message;
    }

    /// <summary>The first message of the reply to a user message, once posted.</summary>
    public FakeMessage? Reply(JsonObject message)
    {
        var id = message["id"]!.GetValue<string>();
        return Discord.Messages.FirstOrDefault(m => m.ReplyTo == id);
    }

    public async ValueTask DisposeAsync()
    {
        await Service.StopAsync(CancellationToken.None);
        Service.Dispose();
        await _conversations.DisposeAsync();
        await _store.DisposeAsync();
        await Discord.DisposeAsync();
        await OpenAI.DisposeAsync();
        _folder.Dispose();
    }
}
