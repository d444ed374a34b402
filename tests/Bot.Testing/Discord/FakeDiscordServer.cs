using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;

namespace Bot.Testing.Discord;

/// <summary>
/// A loopback stand-in for Discord: the gateway WebSocket (<see cref="Gateway"/>), the REST API v10 with
/// Discord-like rate-limit buckets and 429s (<see cref="RateLimits"/>), and a CDN for attachments. Recorded
/// frames and payloads from tests/fixtures/discord are what it sends. Point the bot's Discord:RestBaseUrl at
/// <see cref="RestBaseUri"/> and Discord:GatewayUrl at <see cref="GatewayUri"/>.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    /// <summary>The token the fake accepts.</summary>
    public const string DefaultToken = "fake-discord-token";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeRestRequest> _requests = new();
    private readonly ConcurrentDictionary<string, FakeMessage> _messages = new();
    private readonly ConcurrentDictionary<string, byte[]> _cdn = new();
    private readonly ConcurrentDictionary<string, FakeInteraction> _interactions = new();
    private readonly ConcurrentQueue<InjectedFault> _faults = new();
    private long _nextId = 1_500_000_000_000_000_000;
    private int _port;
    private int _globalRateLimited;

    private FakeDiscordServer(WebApplication app)
    {
        _app = app;
        Gateway = new FakeDiscordGateway(this);
    }

    public FakeDiscordGateway Gateway { get; }

    public FakeRateLimits RateLimits { get; } = new();

    public string Token { get; set; } = DefaultToken;

    /// <summary>The bot's user id (READY and the recorded mention use it).</summary>
    public string BotUserId { get; } = "1457469483726668048";

    public string ApplicationId { get; } = "1457469483726668048";

    /// <summary>The guild of GUILD_CREATE and of the recorded mention.</summary>
    public string GuildId { get; } = "1457468924290662599";

    /// <summary>The bot's managed role in <see cref="GuildId"/>.</summary>
    public string BotRoleId { get; } = "1457473602180878604";

    /// <summary>True: messages the bot posts come back as MESSAGE_CREATE on the gateway, as on Discord (default).</summary>
    public bool EchoBotMessages { get; set; } = true;

    /// <summary>The commands the last bulk overwrite registered.</summary>
    public JsonArray? Commands { get; private set; }

    public Uri RestBaseUri => new($"http://127.0.0.1:{_port}/api/v10");

    public Uri GatewayUri(string path = "gateway") => new($"ws://127.0.0.1:{_port}/{path}");

    /// <summary>Every REST request, in order.</summary>
    public IReadOnlyList<FakeRestRequest> Requests => [.. _requests];

    /// <summary>Every message the bot posted (interaction responses included), in order of creation.</summary>
    public IReadOnlyList<FakeMessage> Messages => [.. _messages.Values.OrderBy(m => long.Parse(m.Id, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>429 answers given (bucket, global or injected).</summary>
    public int RateLimitedCount => Requests.Count(r => r.Status == 429);

    /// <summary>429 answers because the bot went over the global limit (injected ones not counted).</summary>
    public int GlobalRateLimitedCount => Volatile.Read(ref _globalRateLimited);

    /// <summary>CDN downloads served.</summary>
    public int CdnDownloads => Requests.Count(r => r.Route.StartsWith("GET /cdn", StringComparison.Ordinal));

    public static async Task<FakeDiscordServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = LoopbackHost.CreateBuilder(kestrel: o => o.Limits.MaxRequestBodySize = 100L * 1024 * 1024);
        var app = builder.Build();
        var server = new FakeDiscordServer(app);
        app.UseWebSockets();
        app.Run(server.HandleAsync);
        server._port = (await LoopbackHost.StartAsync(app, cancellationToken).ConfigureAwait(false)).Port;
        return server;
    }

    /// <summary>The messages the bot posted in a channel, in order.</summary>
    public IReadOnlyList<FakeMessage> MessagesIn(string channelId) => [.. Messages.Where(m => m.ChannelId == channelId && !m.Ephemeral)];

    /// <summary>Serves a file on the fake CDN and returns its attachment object for a MESSAGE_CREATE.</summary>
    public JsonObject AddAttachment(string fileName, byte[] content, string contentType, long? declaredSize = null)
    {
        var id = NextId();
        _cdn[$"{id}/{fileName}"] = content;
        return new JsonObject
        {
            ["id"] = id, ["filename"] = fileName, ["size"] = declaredSize ?? content.Length, ["content_type"] = contentType,
            ["url"] = $"http://127.0.0.1:{_port}/cdn/attachments/{id}/{fileName}?ex=1&is=1&hm=00&",
            ["proxy_url"] = $"http://127.0.0.1:{_port}/cdn/attachments/{id}/{fileName}?ex=1&is=1&hm=00&",
        };
    }

    /// <summary>Sends an interaction (slash command or button) as INTERACTION_CREATE and remembers it for its callback.</summary>
    public Task<long> SendInteractionAsync(JsonObject interaction)
    {
        var id = interaction["id"]!.GetValue<string>();
        _interactions[id] = new FakeInteraction(id, interaction["token"]!.GetValue<string>(), DateTimeOffset.UtcNow,
            interaction["message"]?["id"]?.GetValue<string>()) { Type = interaction["type"]?.GetValue<int>() ?? 2 };
        return Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
    }

    /// <summary>The interaction's responses: callback type, then what the original response showed.</summary>
    public FakeInteraction? Interaction(string id) => _interactions.GetValueOrDefault(id);

    /// <summary>Answers the next request whose path (below /api/v10) starts with <paramref name="pathPrefix"/> with a 429 replayed from a fixture.</summary>
    /// <param name="scope">"user" (rest_429_user_rate_limit.http) or "global" (rest_429_global_rate_limit.http); "shared" uses the user one with scope shared.</param>
    public void RateLimitNext(string method, string pathPrefix, TimeSpan retryAfter, string scope = "user") =>
        _faults.Enqueue(new InjectedFault(method, pathPrefix, retryAfter, scope));

    /// <summary>A new snowflake-like id.</summary>
    public string NextId() => Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A recorded payload from tests/fixtures/discord, parsed.</summary>
    public JsonObject Fixture(string name) => JsonNode.Parse(File.ReadAllText(Fixtures.Path("discord", name)))!.AsObject();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record InjectedFault(string Method, string PathPrefix, TimeSpan RetryAfter, string Scope);
}

/// <summary>An interaction the fake sent, and how the bot answered it.</summary>
public sealed class FakeInteraction(string id, string token, DateTimeOffset sentAt, string? messageId)
{
    public string Id { get; } = id;

    public string Token { get; } = token;

    public DateTimeOffset SentAt { get; } = sentAt;

    /// <summary>The interaction's type (2 command, 3 component, 4 autocomplete).</summary>
    public int Type { get; init; }

    /// <summary>The embeds of the response (empty when it has none).</summary>
    public IReadOnlyList<JsonObject> Embeds => CallbackData?["embeds"] is JsonArray embeds ? [.. embeds.OfType<JsonObject>()] : [];

    /// <summary>The names of the choices of an autocomplete result (type 8).</summary>
    public IReadOnlyList<string> Choices =>
        CallbackData?["choices"] is JsonArray choices ? [.. choices.Select(c => c?["name"]?.GetValue<string>() ?? "")] : [];

    /// <summary>The message a component interaction came from.</summary>
    public string? MessageId { get; } = messageId;

    /// <summary>The callback type the bot answered with (null: not yet).</summary>
    public int? CallbackType { get; internal set; }

    public DateTimeOffset? CallbackAt { get; internal set; }

    /// <summary>The callback's data.</summary>
    public JsonNode? CallbackData { get; internal set; }

    /// <summary>True when the response is ephemeral.</summary>
    public bool Ephemeral => (CallbackData?["flags"]?.GetValue<int>() & 64) == 64;

    /// <summary>The flags of the response message after edits (null: not yet answered, or a type-7 update of the component's message).</summary>
    public int? Flags { get; internal set; }

    /// <summary>The text of the original response after edits (or of a type-4 response).</summary>
    public string? Content { get; internal set; }
}
