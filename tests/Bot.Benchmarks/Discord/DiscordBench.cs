using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Core.DependencyInjection;
using Bot.Discord;
using Bot.Discord.DependencyInjection;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bot.Benchmarks.Discord;

/// <summary>
/// The Discord channel's hosted service over the core (SQLite in a temp folder, the streaming Responses backend),
/// connected to the loopback fake Discord (buckets and the global limit enforced) and an in-process OpenAI fake.
/// </summary>
internal sealed class DiscordBench : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private IHost _host = null!;
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

    // The bot as the host composes it (the same Add* methods), with the backend's defaults pointed at the fake.
    private async Task StartBotAsync(TimeSpan editInterval)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = FakeOpenAIServer.ApiKey,
            ["OpenAI:Endpoint"] = OpenAI.BaseUri.ToString(),
            ["Storage:Sqlite:Path"] = _folder.File("bot.db"),
            ["Conversations:MaxConcurrentTurns"] = "2000",
            ["Discord:Token"] = Discord.Token,
            ["Discord:RestBaseUrl"] = Discord.RestBaseUri.ToString(),
            ["Discord:GatewayUrl"] = Discord.GatewayUri().ToString(),
            ["Discord:EditInterval"] = editInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Discord:ConversationScope"] = nameof(ConversationScope.User),
            ["Discord:RequestTimeout"] = "00:10:00",
        });
        builder.Services.AddSqliteStorage(builder.Configuration).AddOpenAIBackend(builder.Configuration).AddBotCore(builder.Configuration)
            .AddDiscordChannel(builder.Configuration);
        _host = builder.Build();
        Service = _host.Services.GetRequiredService<DiscordBotService>();
        await _host.StartAsync();
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
        await _host.StopAsync();
        await ((IAsyncDisposable)_host).DisposeAsync();
        await Discord.DisposeAsync();
        await OpenAI.DisposeAsync();
        _folder.Dispose();
    }
}
