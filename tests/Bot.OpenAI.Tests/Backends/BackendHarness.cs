using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.Responses;
using Bot.Testing;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// The core with either real backend (Responses or Assistants), the real SDK over HTTP to the loopback fake, and
/// a real SQLite file that survives <see cref="RestartAsync"/> (a new core and backend on the same database and fake).
/// </summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly IEnumerable<IFunctionTool> _tools;
    private Action<OpenAIOptions>? _configure;
    private readonly ConversationOptions? _conversations;
    private readonly RecordingChannel? _channel;
    private RemoteObjectSweeper? _sweeper;
    private PlaceSettingsBackend? _backend;
    private TurnSettings? _settings;
    private ILoggerFactory? _loggers;

    private BackendHarness(string api, FakeOpenAIServer server, TempDirectory directory, IEnumerable<IFunctionTool> tools,
        Action<OpenAIOptions>? configure, ConversationOptions? conversations, RecordingChannel? channel)
    {
        Api = api;
        Server = server;
        _directory = directory;
        _tools = tools;
        _configure = configure;
        _conversations = conversations;
        _channel = channel;
    }

    /// <summary>"Responses" or "Assistants".</summary>
    public string Api { get; private set; }

    public FakeOpenAIServer Server { get; }

    public CoreHarness Core { get; private set; } = null!;

    public RecordingChannel Channel => Core.Channel;

    public bool IsAssistants => Api == ApiKinds.Assistants;

    /// <summary>What the backend asked the model for: responses, or runs and their continuations.</summary>
    public IReadOnlyList<FakeResponseRequest> Requests => IsAssistants ? Server.RunRequests : Server.ResponseRequests;

    /// <summary>Remote conversations or threads the backend created.</summary>
    public IReadOnlyList<string> RemoteConversations => IsAssistants ? Server.Ledger.CreatedThreads : Server.Ledger.CreatedConversations;

    /// <summary>The place settings the next turns carry (kept across a restart); null: none.</summary>
    public TurnSettings? Settings
    {
        get => _settings;
        set
        {
            _settings = value;
            if (_backend is not null)
                _backend.Settings = value;
        }
    }

    /// <summary>The backend under test, behind the settings the turns carry; it keeps the usage reported.</summary>
    public PlaceSettingsBackend Backend => _backend!;

    /// <summary>Requests the service refused because the conversation or thread was busy.</summary>
    public int BusyRefusals => Server.RunActiveErrors + Server.ConversationConflicts;

    public static async Task<BackendHarness> StartAsync(string api, IEnumerable<IFunctionTool>? tools = null, Action<OpenAIOptions>? configure = null,
        ConversationOptions? conversations = null, RecordingChannel? channel = null, ILoggerFactory? loggers = null)
    {
        var server = await FakeOpenAIServer.StartAsync();
        var harness = new BackendHarness(api, server, new TempDirectory(), tools ?? [], configure, conversations, channel) { _loggers = loggers };
        harness.Core = await harness.StartCoreAsync(channel);
        return harness;
    }

    /// <summary>
    /// Stops the core (as a restart does) and starts a new one over the same database and fake, on <paramref name="api"/>
    /// and with <paramref name="configure"/> (instead of the first configuration) when given.
    /// </summary>
    public async Task RestartAsync(string? api = null, Action<OpenAIOptions>? configure = null)
    {
        var channel = Core.Channel;
        await Core.DisposeAsync();
        Api = api ?? Api;
        _configure = configure ?? _configure;
        Core = await StartCoreAsync(channel);
    }

    public Task<TurnStatus> AskAsync(string conversation, string text, string? messageId = null, IReadOnlyList<IncomingAttachment>? attachments = null) =>
        Core.AskAsync(Channel.Message(conversation, text, messageId, attachments: attachments), TimeSpan.FromSeconds(60));

    /// <summary>Starts the background sweep of requested remote deletions, as the host runs it, with the harness's conversation options.</summary>
    public async Task StartSweeperAsync()
    {
        _sweeper = new RemoteObjectSweeper(Core.Store, new BackendCatalog(Core.Backend), Core.Service,
            Options.Create(_conversations ?? new ConversationOptions()), TimeProvider.System, NullLogger<RemoteObjectSweeper>.Instance);
        await _sweeper.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sweeper is not null)
        {
            await _sweeper.StopAsync(CancellationToken.None);
            _sweeper.Dispose();
        }

        await Core.DisposeAsync();
        await Server.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<CoreHarness> StartCoreAsync(RecordingChannel? channel)
    {
        var options = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey,
            Endpoint = Server.BaseUri.ToString(),
            Api = Api,
            Model = "gpt-test",
            Instructions = "Be brief.",
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        _configure?.Invoke(options);
        var registry = new FunctionToolRegistry(_tools, Options.Create(_conversations ?? new ConversationOptions()), NullLogger<FunctionToolRegistry>.Instance);
        var clients = new OpenAIClients(options);
        CoreHarness? core = null;
        IAssistantBackend backend = IsAssistants
            ? new AssistantsBackend(clients, options, registry, () => core!.Store, Logger<AssistantsBackend>())
            : new ResponsesBackend(clients, options, registry, Logger<ResponsesBackend>());
        _backend = new PlaceSettingsBackend(backend) { Settings = _settings };
        core = await CoreHarness.StartAsync(_backend, channel ?? _channel, _conversations, new AttachmentOptions(), _directory.File("bot.db"));
        return core;
    }

    private ILogger<T> Logger<T>() => _loggers?.CreateLogger<T>() ?? NullLogger<T>.Instance;
}
