using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Assistants;
using OpenAI.Containers;
using OpenAI.Conversations;
using OpenAI.Files;
using OpenAI.Moderations;
using OpenAI.Responses;
using OpenAI.VectorStores;

namespace Bot.OpenAI;

/// <summary>The SDK clients the backends use, sharing one pipeline (endpoint, key, retry policy, timeout).</summary>
public sealed class OpenAIClients
{
    private readonly OpenAIClient _root;

    public OpenAIClients(OpenAIOptions options)
    {
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new BackoffRetryPolicy(options.MaxRetries, options.RetryBaseDelay),
            NetworkTimeout = options.NetworkTimeout,
            UserAgentApplicationId = "openai-chat-bot",
        };
        if (!string.IsNullOrWhiteSpace(options.Endpoint))
            clientOptions.Endpoint = new Uri(options.Endpoint);
        clientOptions.AddPolicy(Reachability, PipelinePosition.PerCall);

        var root = _root = new OpenAIClient(new ApiKeyCredential(options.ApiKey ?? ""), clientOptions);
        Responses = root.GetResponsesClient();
        Conversations = root.GetConversationClient();
        Files = root.GetOpenAIFileClient();
        VectorStores = root.GetVectorStoreClient();
        Containers = root.GetContainerClient();
        Assistants = root.GetAssistantClient();
    }

    /// <summary>How the last call went, for the readiness check.</summary>
    internal OpenAIReachability Reachability { get; } = new(TimeProvider.System);

    public ResponsesClient Responses { get; }

    public ConversationClient Conversations { get; }

    public OpenAIFileClient Files { get; }

    public VectorStoreClient VectorStores { get; }

    public ContainerClient Containers { get; }

    /// <summary>A moderation client for <paramref name="model"/> on the same pipeline (cheap: the pipeline is shared).</summary>
    public ModerationClient Moderations(string model) => _root.GetModerationClient(model);

    /// <summary>The Assistants v2 client (threads, messages, runs) of the Assistants backend.</summary>
    public AssistantClient Assistants { get; }
}
