using System.ClientModel;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Bot.Core.Attachments;
using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Microsoft.Extensions.Logging;
using OpenAI.Assistants;
using OpenAI.Files;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// The second backend, on the Assistants API v2 (threads, messages, runs, run steps; OpenAI shut it down on
/// 2026-08-26, compatible endpoints still serve it): one assistant for the bot, a thread per chat
/// conversation (created on its first turn), a user message per turn with the attachments given to the code
/// interpreter or file search, and a streamed run that calls function tools over as many rounds as it asks.
/// </summary>
public sealed partial class AssistantsBackend : OpenAIBackendBase, IAssistantBackend
{
    /// <summary>The purpose recorded for files the assistant generated (downloaded, then deleted on reset).</summary>
    public const string GeneratedFilePurpose = "assistants_output";

    private static readonly TimeSpan s_runPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_cancelWait = TimeSpan.FromSeconds(30);

    private readonly FunctionToolRegistry _tools;
    private readonly AssistantProvisioner _assistant;
    private readonly ILogger<AssistantsBackend> _logger;

    // Threads whose last run this process saw end: no active run can be on them, so no need to look.
    private readonly ConcurrentDictionary<string, bool> _idleThreads = new(StringComparer.Ordinal);

    /// <summary>Creates the backend; the store (for the assistant's id) is resolved on first use.</summary>
    public AssistantsBackend(OpenAIClients clients, OpenAIOptions options, FunctionToolRegistry tools, Func<IProvisionedAssistants> store,
        ILogger<AssistantsBackend> logger)
        : base(clients, options)
    {
        _tools = tools;
        _logger = logger;
        _assistant = new AssistantProvisioner(clients, options, tools, store, logger);
        if (string.Equals(options.Api, ApiKinds.Assistants, StringComparison.OrdinalIgnoreCase))
        {
            // Tools the Assistants API does not have: said once, at start.
            if (options.Tools.WebSearch)
                Log.WebSearchIgnored(logger);
            if (options.Tools.ImageGeneration)
                Log.ImageGenerationIgnored(logger);
            if (options.Mcp.Servers.Count > 0)
                Log.McpIgnored(logger, options.Mcp.Servers.Count);
        }
    }

    public string Kind => ApiKinds.Assistants;

    /// <summary>
    /// Uploads a file: images with purpose <c>vision</c> (sent as image parts), others with purpose
    /// <c>assistants</c> (sent as message attachments; the service puts documents into the thread's vector store).
    /// </summary>
    public async Task<UploadedFile> UploadAsync(RemoteThread thread, AttachmentUpload upload, CancellationToken cancellationToken = default)
    {
        var file = await FileUploads.UploadAndRecordAsync(Clients, thread, upload, cancellationToken).ConfigureAwait(false);
        return new UploadedFile(file.Id, upload.FileName, upload.Target);
    }

    private protected override async Task DeleteOwnAsync(RemoteObjectKind kind, string remoteId, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case RemoteObjectKind.Thread or RemoteObjectKind.Conversation:
                _idleThreads.TryRemove(remoteId, out _);
                await Clients.Assistants.DeleteThreadAsync(remoteId, cancellationToken).ConfigureAwait(false);
                break;
            case RemoteObjectKind.Assistant:
                await Clients.Assistants.DeleteAssistantAsync(remoteId, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task<string> EnsureThreadAsync(RemoteThread thread, CancellationToken cancellationToken)
    {
        return thread.RemoteConversationId ?? await CreateThreadAsync(thread, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CreateThreadAsync(RemoteThread thread, CancellationToken cancellationToken)
    {
        var options = new ThreadCreationOptions();
        RemoteMetadata.Tag(options.Metadata, thread.Key);
        AssistantThread created = await Call(() => Clients.Assistants.CreateThreadAsync(options, cancellationToken), cancellationToken).ConfigureAwait(false);
        await thread.RecordCreatedAsync(RemoteObjectKind.Thread, created.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        _idleThreads[created.Id] = true;
        Log.ThreadCreated(_logger, created.Id, thread.Key.ToString());
        return created.Id;
    }

    /// <summary>
    /// Adds the turn's user message; returns the thread it went to. A thread the service no longer knows (deleted
    /// by someone, or lost with a compatible server's data) is replaced by a new one, so the conversation goes on.
    /// </summary>
    private async Task<string> AddMessageAsync(RemoteThread thread, TurnRequest request, CancellationToken cancellationToken)
    {
        var threadId = await EnsureThreadAsync(thread, cancellationToken).ConfigureAwait(false);
        try
        {
            await AddMessageAsync(threadId, request, cancellationToken).ConfigureAwait(false);
            return threadId;
        }
        catch (AssistantFailureException e) when (e.InnerException is ClientResultException { Status: 404 } && e.Message.Contains(threadId, StringComparison.Ordinal))
        {
            Log.ThreadMissing(_logger, threadId, thread.Key.ToString());
            threadId = await CreateThreadAsync(thread, cancellationToken).ConfigureAwait(false);
            await AddMessageAsync(threadId, request, cancellationToken).ConfigureAwait(false);
            return threadId;
        }
    }

    /// <summary>
    /// Adds the turn's user message. A run still active on the thread (left by a crash, or by a turn whose
    /// stream broke) would refuse it with "Can't add messages to thread_… while a run run_… is active": such a
    /// run is cancelled and awaited first, and once more should the service still report one.
    /// </summary>
    private async Task AddMessageAsync(string threadId, TurnRequest request, CancellationToken cancellationToken)
    {
        if (!_idleThreads.TryRemove(threadId, out _))
            await CancelActiveRunAsync(threadId, cancellationToken).ConfigureAwait(false);

        var content = new List<MessageContent>();
        if (request.Text.Length > 0)
            content.Add(MessageContent.FromText(request.Text));
        foreach (var image in request.Files.Where(f => f.Target == AttachmentTarget.Vision))
            content.Add(MessageContent.FromImageFileId(image.FileId, MessageImageDetail.Auto));
        if (content.Count == 0)
            content.Add(MessageContent.FromText("(no text)"));

        var options = new MessageCreationOptions();
        foreach (var file in request.Files)
        {
            ToolDefinition? tool = file.Target switch
            {
                AttachmentTarget.CodeInterpreter => ToolDefinition.CreateCodeInterpreter(),
                AttachmentTarget.FileSearch => ToolDefinition.CreateFileSearch(),
                _ => null,
            };
            if (tool is not null)
                options.Attachments.Add(new MessageCreationAttachment(file.FileId, [tool]));
        }

        try
        {
            await Clients.Assistants.CreateMessageAsync(threadId, MessageRole.User, content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status == 400 && e.Message.Contains("active", StringComparison.Ordinal) && ActiveRunId().Match(e.Message) is { Success: true } match)
        {
            await CancelRunAndWaitAsync(threadId, match.Value, cancellationToken).ConfigureAwait(false);
            await Call(() => Clients.Assistants.CreateMessageAsync(threadId, MessageRole.User, content, options, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (FailureMapping.FromException(e, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Records the vector store the service made for the thread's documents, so that reset deletes it.</summary>
    private async Task RecordThreadVectorStoreAsync(RemoteThread thread, string threadId, CancellationToken cancellationToken)
    {
        AssistantThread remote = await Call(() => Clients.Assistants.GetThreadAsync(threadId, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var vectorStoreId in remote.ToolResources?.FileSearch?.VectorStoreIds ?? [])
        {
            if (vectorStoreId != thread.VectorStoreId)
                await thread.RecordCreatedAsync(RemoteObjectKind.VectorStore, vectorStoreId, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CancelActiveRunAsync(string threadId, CancellationToken cancellationToken)
    {
        var runs = Clients.Assistants.GetRunsAsync(threadId, new RunCollectionOptions { PageSizeLimit = 1, Order = RunCollectionOrder.Descending },
            cancellationToken);
        try
        {
            await foreach (var run in runs.ConfigureAwait(false))
            {
                if (!run.Status.IsTerminal)
                {
                    Log.CancellingLeftoverRun(_logger, threadId, run.Id, run.Status.ToString());
                    await CancelRunAndWaitAsync(threadId, run.Id, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
        }
        catch (Exception e) when (FailureMapping.FromException(e, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Cancels a run and waits until it has ended (cancelled, or finished on its own meanwhile).</summary>
    private async Task CancelRunAndWaitAsync(string threadId, string runId, CancellationToken cancellationToken)
    {
        try
        {
            await Clients.Assistants.CancelRunAsync(threadId, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException e) when (e.Status is 400 or 404)
        {
            // It ended between the look and the cancel; the poll below sees how.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_cancelWait);
        ThreadRun run = await Call(() => Clients.Assistants.GetRunAsync(threadId, runId, deadline.Token), deadline.Token).ConfigureAwait(false);
        while (!run.Status.IsTerminal)
        {
            await Task.Delay(s_runPoll, deadline.Token).ConfigureAwait(false);
            run = await Call(() => Clients.Assistants.GetRunAsync(threadId, runId, deadline.Token), deadline.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Best effort, on a turn that ends without its run ending (stop, reset, failure): the run is cancelled.</summary>
    private async Task AbandonRunAsync(string threadId, string runId)
    {
        _idleThreads.TryRemove(threadId, out _);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Clients.Assistants.CancelRunAsync(threadId, runId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The next turn looks for the run again before it adds its message.
            Log.RunCancelFailed(_logger, runId, threadId, e);
        }
    }

    [GeneratedRegex(@"run_[A-Za-z0-9]+")]
    private static partial Regex ActiveRunId();
}
