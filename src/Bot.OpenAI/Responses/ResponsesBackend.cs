using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Tools;
using Microsoft.Extensions.Logging;
using OpenAI.Conversations;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace Bot.OpenAI.Responses;

/// <summary>
/// The default backend, on OpenAI's Responses + Conversations API: a remote conversation per chat
/// conversation (created on its first turn), streamed responses with the code interpreter (an auto
/// container holding the conversation's data files), file search (a vector store per conversation,
/// created with its first document) and the registered function tools.
/// </summary>
public sealed partial class ResponsesBackend : OpenAIBackendBase, IAssistantBackend
{
    private static readonly TimeSpan s_indexingPoll = TimeSpan.FromMilliseconds(250);

    private readonly FunctionToolRegistry _tools;
    private readonly McpServers _mcpServers;
    private readonly ResponseStreams _streams;
    private readonly ILogger<ResponsesBackend> _logger;

    public ResponsesBackend(OpenAIClients clients, OpenAIOptions options, FunctionToolRegistry tools, ILogger<ResponsesBackend> logger)
        : base(clients, options)
    {
        _tools = tools;
        _logger = logger;
        _mcpServers = new McpServers(options.Mcp);
        _streams = new ResponseStreams(clients.Responses, options, logger);
        if (options.Mcp.Servers.Count > 0 && string.Equals(options.Api, ApiKinds.Responses, StringComparison.OrdinalIgnoreCase))
            Log.McpServersConfigured(logger, string.Join(", ", options.Mcp.Servers.Select(s => $"{s.Label} ({s.RequireApproval})")));
    }

    public string Kind => ApiKinds.Responses;

    public async Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default)
    {
        var file = await FileUploads.UploadAndRecordAsync(Clients, thread, upload, cancellationToken).ConfigureAwait(false);

        if (upload.Target == AttachmentTarget.FileSearch)
            await IndexForSearchAsync(thread, file.Id, cancellationToken).ConfigureAwait(false);
        return new UploadedFile(file.Id, upload.FileName, upload.Target);
    }

    private protected override Task DeleteOwnAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken) => kind switch
    {
        RemoteObjectKind.Conversation => Clients.Conversations.DeleteConversationAsync(remoteId, cancellationToken),
        _ => throw new NotSupportedException($"The Responses backend does not create {kind} objects."),
    };

    private async Task<string> EnsureConversationAsync(RemoteThread thread, CancellationToken cancellationToken)
    {
        if (thread.RemoteConversationId is { } existing)
            return existing;

        var options = new ConversationCreationOptions();
        RemoteMetadata.Tag(options.Metadata, thread.Key);
        ConversationResource conversation = await Call(() => Clients.Conversations.CreateConversationAsync(options, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        await thread.RecordCreatedAsync(RemoteObjectKind.Conversation, conversation.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        Log.ConversationCreated(_logger, conversation.Id, thread.Key.ToString());
        return conversation.Id;
    }

    private async Task IndexForSearchAsync(RemoteThread thread, string fileId, CancellationToken cancellationToken)
    {
        var vectorStoreId = thread.VectorStoreId;
        if (vectorStoreId is null)
        {
            var creation = new VectorStoreCreationOptions { Name = RemoteMetadata.Truncate($"chat {thread.Key}", 256) };
            VectorStore store = await Call(() => Clients.VectorStores.CreateVectorStoreAsync(creation, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            await thread.RecordCreatedAsync(RemoteObjectKind.VectorStore, store.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.VectorStoreCreated(_logger, store.Id, thread.Key.ToString());
            vectorStoreId = store.Id;
        }

        VectorStoreFile added = await Call(() => Clients.VectorStores.AddFileToVectorStoreAsync(vectorStoreId, fileId, cancellationToken), cancellationToken)
            .ConfigureAwait(false);

        // The search only finds what is indexed: wait for it, within a limit.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.FileIndexingTimeout);
        while (added.Status == VectorStoreFileStatus.InProgress && !deadline.IsCancellationRequested)
        {
            await Task.Delay(s_indexingPoll, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            added = await Call(() => Clients.VectorStores.GetVectorStoreFileAsync(vectorStoreId, fileId, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }

        if (added.Status != VectorStoreFileStatus.Completed)
        {
            Log.FileNotIndexed(_logger, fileId, added.Status.ToString());
            throw new AssistantFailureException(FailureKind.Rejected, $"File {fileId} was not indexed: {added.Status} {added.LastError?.Message}");
        }
    }
}
