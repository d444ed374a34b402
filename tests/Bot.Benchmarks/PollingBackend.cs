using System.Runtime.CompilerServices;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.OpenAI;
using OpenAI.Conversations;
using OpenAI.Responses;

// The Responses and Conversations types of the SDK are marked experimental; the baseline uses them as Bot.OpenAI does.
#pragma warning disable OPENAI001

namespace Bot.Benchmarks;

/// <summary>
/// The baseline: a bot as the Assistants-era samples wrote them. It starts the answer without a stream
/// (<c>background: true</c>, the Responses API's counterpart of "create run"), asks for its status every
/// <paramref name="pollInterval"/> (the counterpart of "retrieve run" in a 1 s loop), and only when a poll
/// sees it completed reads the text (GET /responses/{id} carries the output, where the Assistants API needed
/// a second "list messages" call) and hands it to the core in one piece.
/// </summary>
internal sealed class PollingBackend(OpenAIClients clients, OpenAIOptions options, TimeSpan pollInterval) : IAssistantBackend
{
    public string Kind => "Polling";

    public int MaxInputCharacters => options.MaxInputCharacters;

    public bool CodeInterpreterEnabled => false;

    public bool FileSearchEnabled => false;

    public Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The polling baseline takes no attachments.");

    public async IAsyncEnumerable<AssistantEvent> RunTurnAsync(TurnRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversationId = request.Thread.RemoteConversationId;
        if (conversationId is null)
        {
            ConversationResource conversation = await clients.Conversations.CreateConversationAsync(new ConversationCreationOptions(), cancellationToken);
            conversationId = conversation.Id;
            await request.Thread.RecordCreatedAsync(RemoteObjectKind.Conversation, conversationId, cancellationToken: cancellationToken);
        }

        var create = new CreateResponseOptions
        {
            Model = options.Model,
            Instructions = options.Instructions,
            BackgroundModeEnabled = true,
            ConversationOptions = new ResponseConversationOptions(conversationId),
        };
        create.InputItems.Add(ResponseItem.CreateUserMessageItem(request.Text));
        ResponseResult response = await clients.Responses.CreateResponseAsync(create, cancellationToken);
        yield return new ResponseStarted(response.Id);

        while (response.Status is ResponseStatus.Queued or ResponseStatus.InProgress)
        {
            await Task.Delay(pollInterval, cancellationToken);
            response = await clients.Responses.GetResponseAsync(response.Id, cancellationToken: cancellationToken);
        }

        if (response.Status != ResponseStatus.Completed)
            throw new AssistantFailureException(FailureKind.ServiceError, $"Response {response.Id} ended {response.Status}.");

        const string PartId = "answer#0";
        var text = response.GetOutputText();
        yield return new TextDelta(PartId, text);
        yield return new TextPartCompleted(PartId, text);
        if (response.Usage is { } usage)
            yield return new UsageReported(new TokenUsage(usage.InputTokenCount, usage.OutputTokenCount));
        yield return new TurnFinished();
    }

    public Task DeleteAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
