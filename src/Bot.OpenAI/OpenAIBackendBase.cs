using System.ClientModel;
using Bot.Core.Backends;

namespace Bot.OpenAI;

/// <summary>
/// What both OpenAI backends share: the limits and tools the options give, SDK calls whose failures are told to the user,
/// and the deletion of the objects both APIs create (files and vector stores), where "already gone" counts as deleted.
/// </summary>
public abstract partial class OpenAIBackendBase
{
    private protected OpenAIBackendBase(OpenAIClients clients, OpenAIOptions options)
    {
        Clients = clients;
        Options = options;
    }

    private protected OpenAIClients Clients { get; }

    private protected OpenAIOptions Options { get; }

    public string Model => Options.Model;

    public int MaxInputCharacters => Options.MaxInputCharacters;

    public bool CodeInterpreterEnabled => Options.Tools.CodeInterpreter;

    public bool FileSearchEnabled => Options.Tools.FileSearch;

    public async Task DeleteAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken = default)
    {
        try
        {
            switch (kind)
            {
                case RemoteObjectKind.File:
                    await Clients.Files.DeleteFileAsync(remoteId, cancellationToken).ConfigureAwait(false);
                    break;
                case RemoteObjectKind.VectorStore:
                    await Clients.VectorStores.DeleteVectorStoreAsync(remoteId, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await DeleteOwnAsync(kind, remoteId, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (ClientResultException e) when (e.Status == 404)
        {
            // Already gone: that is what deleting wanted.
        }
    }

    /// <summary>Deletes an object of a kind only this backend's API creates (a conversation, a thread, an assistant).</summary>
    private protected abstract Task DeleteOwnAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken);

    /// <summary>Runs an SDK call, translating its failures for the user.</summary>
    private protected static Task<T> Call<T>(Func<Task<ClientResult<T>>> call, CancellationToken cancellationToken) =>
        FailureMapping.CallAsync(call, cancellationToken);
}
