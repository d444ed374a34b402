using Bot.Core.Conversations;
using Bot.Core.Storage;

namespace Bot.Core.Backends;

/// <summary>Kinds of remote objects the bot creates and must be able to delete.</summary>
public enum RemoteObjectKind
{
    Conversation,
    File,
    VectorStore,
    Thread,
    Assistant,
}

/// <summary>
/// The remote side of one chat conversation, as the backend sees it during a turn. Everything the
/// backend creates goes through <see cref="RecordCreatedAsync"/> at once, so that the store knows it
/// (and reset can delete it) even if the process dies a moment later.
/// </summary>
public sealed class RemoteThread
{
    private readonly IConversationStore _store;
    private readonly List<string> _codeInterpreterFileIds;

    public RemoteThread(ConversationRecord record, IConversationStore store, IEnumerable<string> codeInterpreterFileIds)
    {
        _store = store;
        ConversationId = record.Id;
        Key = record.Key;
        RemoteConversationId = record.RemoteConversationId;
        VectorStoreId = record.VectorStoreId;
        _codeInterpreterFileIds = [.. codeInterpreterFileIds];
    }

    /// <summary>The store's id of the conversation mapping.</summary>
    public long ConversationId { get; }

    /// <summary>The chat conversation.</summary>
    public ConversationKey Key { get; }

    /// <summary>The remote conversation or thread id, null until the first turn creates it.</summary>
    public string? RemoteConversationId { get; private set; }

    /// <summary>The conversation's vector store, null until its first document.</summary>
    public string? VectorStoreId { get; private set; }

    /// <summary>Data files uploaded for the code interpreter in this conversation, oldest first.</summary>
    public IReadOnlyList<string> CodeInterpreterFileIds => _codeInterpreterFileIds;

    /// <summary>Records a remote object the backend just created for this conversation.</summary>
    public async Task RecordCreatedAsync(RemoteObjectKind kind, string remoteId, string? label = null, string? purpose = null,
        CancellationToken cancellationToken = default)
    {
        await _store.RecordRemoteObjectAsync(ConversationId, new RemoteObjectRecord(kind, remoteId, label, purpose), cancellationToken)
            .ConfigureAwait(false);
        Telemetry.CoreTelemetry.RemoteObjectCreated(kind);
        switch (kind)
        {
            case RemoteObjectKind.Conversation or RemoteObjectKind.Thread:
                RemoteConversationId = remoteId;
                await _store.SetRemoteIdsAsync(ConversationId, RemoteConversationId, VectorStoreId, cancellationToken).ConfigureAwait(false);
                break;
            case RemoteObjectKind.VectorStore:
                VectorStoreId = remoteId;
                await _store.SetRemoteIdsAsync(ConversationId, RemoteConversationId, VectorStoreId, cancellationToken).ConfigureAwait(false);
                break;
            case RemoteObjectKind.File when purpose == RemoteFilePurposes.CodeInterpreter:
                _codeInterpreterFileIds.Add(remoteId);
                break;
        }
    }
}

/// <summary>The purposes recorded with uploaded files in the remote-object registry.</summary>
public static class RemoteFilePurposes
{
    public const string CodeInterpreter = "code_interpreter";
    public const string FileSearch = "file_search";
    public const string Vision = "vision";
}
