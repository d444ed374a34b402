using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Moderation;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Storage;
using Bot.Core.Tools.Approvals;
using Bot.Storage.Sqlite;
using Bot.Testing.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Testing.Conversations;

/// <summary>
/// The core wired for a test or a benchmark: a <see cref="ConversationService"/> over a real SQLite file in
/// a temporary folder, a recording channel, and the backend under test.
/// </summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private CoreHarness(IAssistantBackend backend, RecordingChannel channel, SqliteConversationStore store, ConversationService service,
        string databasePath, TempDirectory? ownedDirectory, ApprovalBroker approvals, PlaceSettings places)
    {
        Places = places;
        Approvals = approvals;
        Backend = backend;
        Channel = channel;
        Store = store;
        Service = service;
        DatabasePath = databasePath;
        _ownedDirectory = ownedDirectory;
    }

    public IAssistantBackend Backend { get; }

    public RecordingChannel Channel { get; }

    public SqliteConversationStore Store { get; }

    public ConversationService Service { get; }

    public string DatabasePath { get; }

    /// <summary>The per-place settings the core's turns resolve (over the harness's store and configuration).</summary>
    public PlaceSettings Places { get; }

    /// <summary>The approval questions of the core's turns: a test answers them here, as a channel passes on a click.</summary>
    public ApprovalBroker Approvals { get; }

    /// <summary>
    /// Starts the core. Pass <paramref name="databasePath"/> to reopen an existing database (a restart), and
    /// <paramref name="time"/> (a <see cref="ManualClock"/>) to run the core, the store and the channel on virtual time,
    /// and <paramref name="budgets"/> to check budgets against the store's usage ledger; <paramref name="moderation"/> makes a
    /// moderation gate (moderation on) that checks through that client and records its events in the store;
    /// <paramref name="configuration"/> is the configuration whose <c>Places:*</c> the per-place settings read;
    /// <paramref name="placeSettingsStore"/> and <paramref name="ledger"/> replace the SQLite store in those roles (to fail).
    /// </summary>
    public static async Task<CoreHarness> StartAsync(IAssistantBackend backend, RecordingChannel? channel = null,
        ConversationOptions? options = null, AttachmentOptions? attachments = null, string? databasePath = null,
        ILoggerFactory? loggerFactory = null, bool recover = true, TimeProvider? time = null, BudgetOptions? budgets = null,
        (IInputModeration Client, ModerationOptions Options)? moderation = null, IConfiguration? configuration = null,
        IPlaceSettingsStore? placeSettingsStore = null, IUsageLedger? ledger = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var owned = databasePath is null ? new TempDirectory() : null;
        databasePath ??= owned!.File("bot.db");
        channel ??= new RecordingChannel();
        if (time is not null)
            channel.Time = time;
        time ??= TimeProvider.System;

        var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = databasePath }),
            loggerFactory.CreateLogger<SqliteConversationStore>(), time);
        var registry = new ChannelRegistry();
        var policy = new AttachmentPolicy(attachments ?? new AttachmentOptions(), backend.CodeInterpreterEnabled, backend.FileSearchEnabled);
        var approvals = new ApprovalBroker(time);
        var places = new PlaceSettings(placeSettingsStore ?? store, configuration ?? new ConfigurationBuilder().Build(), backend, budgets ?? new BudgetOptions(), time);
        var service = new ConversationService(store, new BackendCatalog(backend), registry, policy, Options.Create(options ?? new ConversationOptions()),
            time, loggerFactory.CreateLogger<ConversationService>(), approvals,
            budgets: budgets is null ? null : new BudgetGate(budgets, ledger ?? store, time),
            moderation: moderation is { } m
                ? new ModerationGate(m.Options, m.Client, store, [], time, loggerFactory.CreateLogger<ModerationGate>(), attachments)
                : null,
            places: places);
        await service.StartAsync(CancellationToken.None);
        if (recover)
            await new ChannelStartup(registry, service).StartAsync(channel);
        else
            registry.Register(channel);
        return new CoreHarness(backend, channel, store, service, databasePath, owned, approvals, places);
    }

    /// <summary>Accepts a message and waits until its turn has finished.</summary>
    public async Task<TurnStatus> AskAsync(IncomingMessage message, TimeSpan? timeout = null)
    {
        var accepted = await Service.AcceptAsync(message);
        return await accepted.Answered.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops the core and closes the database, keeping the file (for a restart) unless the harness made it.</summary>
    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Store.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
