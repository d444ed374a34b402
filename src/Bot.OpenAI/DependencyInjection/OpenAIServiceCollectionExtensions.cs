using Bot.Core.Backends;
using Bot.Core.Health;
using Bot.Core.Moderation;
using Bot.Core.Storage;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.Responses;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.DependencyInjection;

/// <summary>Registers the OpenAI backend chosen by <c>OpenAI:Api</c>.</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Adds the OpenAI options (section <c>OpenAI</c>, with <c>OPENAI_API_KEY</c> and <c>OPENAI_BASE_URL</c>
    /// as fallbacks), the SDK clients, both backends and the catalog whose current backend <c>OpenAI:Api</c> names.
    /// </summary>
    public static IServiceCollection AddOpenAIBackend(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OpenAIOptions>()
            .Bind(configuration.GetSection(OpenAIOptions.SectionName))
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.ApiKey))
                    options.ApiKey = configuration["OPENAI_API_KEY"];
                if (string.IsNullOrWhiteSpace(options.Endpoint))
                    options.Endpoint = NullIfEmpty(configuration["OPENAI_BASE_URL"]);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenAIOptions>, OpenAIOptionsValidator>();
        services.AddSingleton<IValidateOptions<OpenAIOptions>, McpOptionsValidator>();

        services.AddSingleton(sp => new OpenAIClients(sp.GetRequiredService<IOptions<OpenAIOptions>>().Value));
        services.AddReadinessCheck("openai", sp => sp.GetRequiredService<OpenAIClients>().Reachability);
        services.AddSingleton<IInputModeration, OpenAIInputModeration>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ResponsesBackend>(sp, sp.GetRequiredService<IOptions<OpenAIOptions>>().Value));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<AssistantsBackend>(sp, sp.GetRequiredService<IOptions<OpenAIOptions>>().Value,
            new Func<IProvisionedAssistants>(sp.GetRequiredService<IProvisionedAssistants>)));
        // The configured backend answers; the other stays known so that reset can still delete what it created
        // for conversations that began before a switch.
        services.AddSingleton(sp =>
        {
            IAssistantBackend responses = sp.GetRequiredService<ResponsesBackend>();
            IAssistantBackend assistants = sp.GetRequiredService<AssistantsBackend>();
            var useAssistants = string.Equals(sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.Api, ApiKinds.Assistants, StringComparison.OrdinalIgnoreCase);
            return useAssistants ? new BackendCatalog(assistants, [responses]) : new BackendCatalog(responses, [assistants]);
        });
        return services;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
