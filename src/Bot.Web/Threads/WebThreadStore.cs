using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Bot.Core.Channels;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Web.Threads;

/// <summary>
/// The web conversations: each transcript in the store (<see cref="IWebTranscripts"/>, shared by every instance on it),
/// and in its own folder under <see cref="WebChatOptions.DataPath"/> (a shared volume when there are several instances)
/// the visitor's uploads (read by the core during the turn, on whichever instance runs it) and the generated files the
/// bot serves. Folders and files are the bot's alone (0700/0600, <see cref="PrivateFiles"/>). Threads are loaded on
/// first use and stay in memory, kept up to date with other instances by the <see cref="WebEventRelay"/>, except an
/// empty one that nobody watches any more (<see cref="Release"/>).
/// </summary>
internal sealed partial class WebThreadStore
{
    private readonly ConcurrentDictionary<string, Lazy<Task<WebThread>>> _threads = new(StringComparer.Ordinal);
    private readonly string _root;
    private readonly IWebTranscripts _transcripts;
    private readonly WebEventRelay _relay;
    private readonly ILogger<WebThreadStore> _logger;

    public WebThreadStore(IOptions<WebChatOptions> options, IWebTranscripts transcripts, WebEventRelay relay, ILogger<WebThreadStore> logger)
    {
        _root = Path.GetFullPath(Path.Combine(options.Value.DataPath, "threads"));
        _transcripts = transcripts;
        _relay = relay;
        _logger = logger;
        relay.Attach(FindLoaded, ForgetReplaced);
    }

    /// <summary>A new random thread id (16 hex digits).</summary>
    public static string NewThreadId() => NewId(8);

    /// <summary>A random id of <paramref name="bytes"/> bytes as lowercase hex.</summary>
    public static string NewId(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>True for a string shaped like a thread id (so it can be used in a path).</summary>
    public static bool IsThreadId(string? value) => value is not null && IdPattern().IsMatch(value);

    public async Task<WebThread> GetAsync(string threadId, CancellationToken cancellationToken = default)
    {
        if (!IsThreadId(threadId))
            throw new ArgumentException("Not a thread id.", nameof(threadId));
        while (true)
        {
            var entry = _threads.GetOrAdd(threadId, id => new Lazy<Task<WebThread>>(() => LoadAsync(id)));
            WebThread thread;
            try
            {
                thread = await entry.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch when (entry.Value.IsFaulted || entry.Value.IsCanceled)
            {
                // The store failed: the next caller reads it again.
                _threads.TryRemove(new KeyValuePair<string, Lazy<Task<WebThread>>>(threadId, entry));
                throw;
            }

            if (!thread.IsRetired)
                return thread;
            _threads.TryRemove(new KeyValuePair<string, Lazy<Task<WebThread>>>(threadId, entry));
        }
    }

    /// <summary>
    /// Forgets a thread that holds nothing (no message, watcher or turn): visitors who open the page and never write
    /// would otherwise each leave one in memory. It is loaded again, as empty as it was, when someone asks for it.
    /// </summary>
    public void Release(WebThread thread)
    {
        if (_threads.TryGetValue(thread.Id, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully &&
            ReferenceEquals(entry.Value.Result, thread) && thread.TryRetire())
            _threads.TryRemove(new KeyValuePair<string, Lazy<Task<WebThread>>>(thread.Id, entry));
    }

    /// <summary>The thread if this instance has it in memory, or null (the relay's changes of other instances go to these).</summary>
    public WebThread? FindLoaded(string threadId) =>
        _threads.TryGetValue(threadId, out var entry) && entry.IsValueCreated && entry.Value.IsCompletedSuccessfully && !entry.Value.Result.IsRetired
            ? entry.Value.Result
            : null;

    /// <summary>Raised when another instance replaced a thread (New conversation): what this instance knows of it is stale.</summary>
    public event Action<string>? ReplacedElsewhere;

    // Another instance deleted the thread: its copy here must not be served or saved again.
    private void ForgetReplaced(string threadId)
    {
        if (_threads.TryRemove(threadId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
            loaded.Value.Result.MarkDeleted();
        ReplacedElsewhere?.Invoke(threadId);
    }

    /// <summary>How many threads are in memory (for tests of the bound above).</summary>
    internal int LoadedCount => _threads.Count;

    /// <summary>Creates the data folder and its threads folder, the owner's alone, if they do not exist yet.</summary>
    public void CreateRoot() => PrivateFiles.CreateFolder(_root);

    /// <summary>Saves every loaded transcript (at shutdown).</summary>
    public async Task SaveAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var entry in _threads.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully))
            await (await entry.Value.ConfigureAwait(false)).SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets a thread: its transcript, uploads and files are deleted.</summary>
    public async Task DeleteAsync(string threadId, CancellationToken cancellationToken = default)
    {
        if (!IsThreadId(threadId))
            return;
        if (_threads.TryRemove(threadId, out var loaded) && loaded.IsValueCreated && loaded.Value.IsCompletedSuccessfully)
            loaded.Value.Result.MarkDeleted();
        try
        {
            await _transcripts.DeleteWebThreadAsync(threadId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ThreadDeleteFailed(_logger, threadId, ex);
        }

        try
        {
            var directory = Path.Combine(_root, threadId);
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.TranscriptSaveFailed(_logger, threadId, ex);
        }
    }

    /// <summary>Keeps a generated file for download and returns how the page refers to it.</summary>
    public static async Task<WebFile> SaveOutputAsync(WebThread thread, OutputFile file, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(thread.FilesDirectory);
        var id = NewId(8);
        await using (var stream = new FileStream(Path.Combine(thread.FilesDirectory, id), PrivateFiles.CreateOptions()))
            await stream.WriteAsync(file.Content, cancellationToken).ConfigureAwait(false);
        return new WebFile(id, SafeName(file.FileName), file.MediaType, file.Length);
    }

    /// <summary>Opens a generated file of a thread, or null.</summary>
    public static Stream? OpenOutput(WebThread thread, string fileId)
    {
        if (!IdPattern().IsMatch(fileId))
            return null;
        var path = Path.Combine(thread.FilesDirectory, fileId);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    /// <summary>A new path for an upload in the thread's folder.</summary>
    public static string NewUploadPath(WebThread thread, string fileName)
    {
        PrivateFiles.CreateFolder(thread.UploadsDirectory);
        return Path.Combine(thread.UploadsDirectory, NewId(6) + "-" + SafeName(fileName));
    }

    /// <summary>
    /// How an upload is named in the message the store keeps (its attachment's source): relative to the threads folder,
    /// so that another instance, whose data folder may be mounted elsewhere, finds it in its own.
    /// </summary>
    public string UploadSource(string path) => Path.GetRelativePath(_root, path);

    /// <summary>The path of an upload's source (<see cref="UploadSource"/>; an absolute path as earlier versions stored it).</summary>
    public string UploadPath(string source) => Path.GetFullPath(Path.IsPathRooted(source) ? source : Path.Combine(_root, source));

    /// <summary>Opens an upload the channel stored; anything outside the threads folder is refused.</summary>
    public Stream OpenUpload(string source)
    {
        var full = UploadPath(source);
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
            !string.Equals(Path.GetFileName(Path.GetDirectoryName(full)), "uploads", StringComparison.Ordinal))
            throw new UnauthorizedAccessException("The attachment is not a web chat upload.");
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
    }

    /// <summary>A file name without folders or characters that are unsafe in a path or a header.</summary>
    public static string SafeName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var safe = string.Concat(Path.GetFileName(name.Replace('\\', '/')).Select(c => invalid.Contains(c) || char.IsControl(c) || c == '"' ? '_' : c)).Trim();
        if (safe.Length > 120)
            safe = safe[..100] + Path.GetExtension(safe)[..Math.Min(20, Path.GetExtension(safe).Length)];
        return safe.Length == 0 || safe is "." or ".." ? "file" : safe;
    }

    private async Task<WebThread> LoadAsync(string id)
    {
        var directory = Path.Combine(_root, id);
        var messages = await WebThread.LoadAsync(_transcripts, directory, id, _logger, CancellationToken.None).ConfigureAwait(false);
        return new WebThread(id, directory, messages, _transcripts, _relay, _logger);
    }

    /// <summary>Thread and file ids alike: <see cref="NewId"/> of 8 bytes.</summary>
    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex IdPattern();
}
