using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.OpenAI.Responses;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>The core with the real Responses backend, the real SDK over HTTP to the loopback fake, and real SQLite.</summary>
internal sealed class ResponsesHarness : IAsyncDisposable
{
    private ResponsesHarness(FakeOpenAIServer server, CoreHarness core)
    {
        Server = server;
        Core = core;
    }

    public FakeOpenAIServer Server { get; }

    public CoreHarness Core { get; }

    public RecordingChannel Channel => Core.Channel;

    public static async Task<ResponsesHarness> StartAsync(IEnumerable<IFunctionTool>? tools = null, Action<OpenAIOptions>? configure = null,
        ConversationOptions? conversations = null, RecordingChannel? channel = null, ILogger<ResponsesBackend>? logger = null,
        ILoggerFactory? loggers = null)
    {
        var server = await FakeOpenAIServer.StartAsync();
        var options = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey,
            Endpoint = server.BaseUri.ToString(),
            Model = "gpt-test",
            Instructions = "Be brief.",
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        configure?.Invoke(options);
        var registry = new FunctionToolRegistry(tools ?? [], Options.Create(conversations ?? new ConversationOptions()), NullLogger<FunctionToolRegistry>.Instance);
        var backend = new ResponsesBackend(new OpenAIClients(options), options, registry,
            logger ?? loggers?.CreateLogger<ResponsesBackend>() ?? NullLogger<ResponsesBackend>.Instance);
        var core = await CoreHarness.StartAsync(backend, channel, conversations, new AttachmentOptions(), loggerFactory: loggers);
        return new ResponsesHarness(server, core);
    }

    public Task<TurnStatus> AskAsync(string conversation, string text, string? messageId = null, IReadOnlyList<IncomingAttachment>? attachments = null) =>
        Core.AskAsync(Channel.Message(conversation, text, messageId, attachments: attachments));

    public async ValueTask DisposeAsync()
    {
        await Core.DisposeAsync();
        await Server.DisposeAsync();
    }
}
