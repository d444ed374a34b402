using Bot.Core.Attachments;
using Bot.Core.Configuration;
using Bot.Core.Conversations;
using Bot.Core.Moderation;
using Bot.Core.Places;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.Core.Tools.Approvals;
using Bot.Core.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.DependencyInjection;

/// <summary>
/// Registers the core: conversation lanes and turns, attachment policy, function tools, channel registry, and the sweep
/// that finishes remote deletions a reset left undone (for every channel).
/// </summary>
public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the core services. A backend (which registers <see cref="BackendCatalog"/>) and a store
    /// (<see cref="Storage.IConversationStore"/>) must be added too.
    /// </summary>
    public static IServiceCollection AddBotCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ConversationOptions>(configuration, ConversationOptions.SectionName);
        services.AddValidatedOptions<ClusterOptions>(configuration, ClusterOptions.SectionName);
        services.AddValidatedOptions<AttachmentOptions>(configuration, AttachmentOptions.SectionName);
        services.AddValidatedOptions<BudgetOptions>(configuration, BudgetOptions.SectionName);
        // OpenAI:Prices (model names as keys) and Places:* (place ids as keys) are read by hand and checked at start.
        services.AddSingleton<IValidateOptions<PriceOptions>, PriceOptionsValidator>();
        services.AddOptions<PriceOptions>().Configure(prices => PriceOptions.Bind(configuration, prices)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PlacesConfiguration>, PlacesConfigurationValidator>();
        services.AddOptions<PlacesConfiguration>()
            .Configure<IServiceProvider>((places, sp) => places.Check(configuration, sp.GetService<BackendCatalog>()?.Current))
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelRegistry>();
        services.TryAddSingleton<ChannelStartup>();
        services.TryAddSingleton<FunctionToolRegistry>();
        services.TryAddSingleton<ApprovalBroker>();
        services.TryAddSingleton<IApprovalAnswers>(sp => sp.GetRequiredService<ApprovalBroker>());
        services.AddHttpTools(configuration);
        services.AddInputModeration(configuration);
        services.TryAddSingleton(sp =>
        {
            var backend = sp.GetRequiredService<BackendCatalog>().Current;
            return new AttachmentPolicy(sp.GetRequiredService<IOptions<AttachmentOptions>>().Value,
                backend.CodeInterpreterEnabled, backend.FileSearchEnabled);
        });
        // The ledger is the store's; a composition whose store keeps none checks only the message rate.
        services.TryAddSingleton(sp => new BudgetGate(sp.GetRequiredService<IOptions<BudgetOptions>>().Value,
            sp.GetService<Storage.IUsageLedger>(), sp.GetRequiredService<TimeProvider>()));
        // Per-place settings read the store's commands (when it keeps them) and Places:* of this configuration.
        services.TryAddSingleton(sp => new PlaceSettings(sp.GetService<IPlaceSettingsStore>(), configuration,
            sp.GetRequiredService<BackendCatalog>().Current, sp.GetRequiredService<IOptions<BudgetOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new UsageReports(sp.GetService<IUsageLedger>(), sp.GetRequiredService<PlaceSettings>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<PriceOptions>>().Value));
        services.TryAddSingleton<ConversationService>();
        services.AddHostedService(sp => sp.GetRequiredService<ConversationService>());
        // After the conversation service, whose start initializes the store the sweep reads.
        services.AddHostedService<RemoteObjectSweeper>();
        return services;
    }

    /// <summary>
    /// Registers a chat channel: always its <see cref="ChannelRegistration"/>, and only when <paramref name="enabled"/>
    /// the parts that <paramref name="addParts"/> adds (options, clients, the hosted service that starts it). A disabled
    /// channel thus has nothing that runs, validates or serves.
    /// </summary>
    public static IServiceCollection AddChatChannel(this IServiceCollection services, string name, bool enabled, Action<IServiceCollection> addParts)
    {
        ArgumentNullException.ThrowIfNull(addParts);
        services.AddSingleton(new ChannelRegistration(name, enabled));
        if (enabled)
            addParts(services);
        return services;
    }

    /// <summary>
    /// Makes the validated value of <typeparamref name="TOptions"/> injectable as itself, for collaborators that take the
    /// settings rather than <see cref="IOptions{TOptions}"/> (it is validated when first resolved, like the options).
    /// </summary>
    public static IServiceCollection AddOptionsValue<TOptions>(this IServiceCollection services)
        where TOptions : class =>
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);

    /// <summary>Binds a configuration section to options validated at start, failures named by key.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// Adds the validated <see cref="ModerationOptions"/> and the <see cref="ModerationGate"/>. The check itself
    /// (<see cref="IInputModeration"/>), the event store (<see cref="IModerationLog"/>) and the alert targets
    /// (<see cref="IModerationAlerts"/>) come from the backend, the store and the channels.
    /// </summary>
    private static IServiceCollection AddInputModeration(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ModerationOptions>(configuration, ModerationOptions.SectionName);
        services.TryAddSingleton(sp => new ModerationGate(
            sp.GetRequiredService<IOptions<ModerationOptions>>().Value,
            sp.GetService<IInputModeration>(),
            sp.GetService<IModerationLog>(),
            sp.GetServices<IModerationAlerts>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ModerationGate>>(),
            sp.GetRequiredService<IOptions<AttachmentOptions>>().Value));
        return services;
    }
}
