using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Testing.OpenAI;
using OpenAI;
using OpenAI.Containers;
using OpenAI.Conversations;
using OpenAI.Files;
using OpenAI.Responses;
using OpenAI.VectorStores;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>The real OpenAI SDK clients pointed at a fake server, plus small helpers the fake's tests share.</summary>
internal sealed class FakeOpenAISdk
{
    public const string Model = "gpt-4o-mini";

    public FakeOpenAISdk(FakeOpenAIServer server, PipelinePolicy? retryPolicy = null)
    {
        Server = server;

        // No retries unless a test asks: the SDK's default retries 429/5xx three times with no delay.
        var options = new OpenAIClientOptions { Endpoint = server.BaseUri, RetryPolicy = retryPolicy ?? new ClientRetryPolicy(0) };
        var root = new OpenAIClient(new ApiKeyCredential(FakeOpenAIServer.ApiKey), options);
        Responses = root.GetResponsesClient();
        Conversations = root.GetConversationClient();
        Files = root.GetOpenAIFileClient();
        VectorStores = root.GetVectorStoreClient();
        Containers = root.GetContainerClient();
    }

    public FakeOpenAIServer Server { get; }

    public ResponsesClient Responses { get; }

    public ConversationClient Conversations { get; }

    public OpenAIFileClient Files { get; }

    public VectorStoreClient VectorStores { get; }

    public ContainerClient Containers { get; }

    public async Task<string> NewConversationAsync() =>
        (await Conversations.CreateConversationAsync(new ConversationCreationOptions())).Value.Id;

    public static CreateResponseOptions Turn(string? conversationId, string userText, bool stream = true)
    {
        var options = new CreateResponseOptions
        {
            Model = Model,
            Instructions = "You are a helpful bot.",
            StreamingEnabled = stream,
        };
        if (conversationId is not null)
        {
            options.ConversationOptions = new ResponseConversationOptions(conversationId);
        }

        options.InputItems.Add(ResponseItem.CreateUserMessageItem(userText));
        return options;
    }

    /// <summary>Streams a response to the end and returns every update.</summary>
    public async Task<List<StreamingResponseUpdate>> StreamAsync(CreateResponseOptions options)
    {
        var updates = new List<StreamingResponseUpdate>();
        await using var stream = await Responses.CreateResponseStreamingAsync(options);
        await foreach (var update in stream)
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>A plain HttpClient with the fake's key, for what the SDK only offers as protocol methods.</summary>
    public HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = Server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeOpenAIServer.ApiKey);
        return http;
    }

    /// <summary>GET /conversations/{id}/items?order=asc as parsed JSON items.</summary>
    public async Task<List<JsonElement>> ConversationItemsAsync(string conversationId)
    {
        using var http = Http();
        using var document = JsonDocument.Parse(await http.GetStringAsync($"conversations/{conversationId}/items?order=asc&limit=100"));
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>The path of a recorded OpenAI fixture.</summary>
    public static string Fixture(string name) => Bot.Testing.Fixtures.OpenAI(name);
}
