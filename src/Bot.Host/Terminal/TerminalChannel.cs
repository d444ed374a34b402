using Bot.Core.Channels;
using Bot.Core.Conversations;

namespace Bot.Host.Terminal;

/// <summary>The terminal as a chat channel: replies are printed as they grow, files are saved to a folder.</summary>
internal sealed class TerminalChannel(TextWriter output, TerminalOptions options) : IChatChannel
{
    public const string ChannelName = "terminal";

    public string Name => ChannelName;

    /// <summary>Serializes writes to the terminal (a reply and a recovery notice must not interleave).</summary>
    public Lock OutputLock { get; } = new();

    public IReplyWriter CreateReplyWriter(string replyAddress) => new TerminalReplyWriter(this, output, options.OutputDirectory);

    public Task<Stream> OpenAttachmentAsync(IncomingAttachment attachment, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(attachment.Source, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
}

/// <summary>Writes one reply to the terminal, appending as the text grows.</summary>
internal sealed class TerminalReplyWriter(TerminalChannel channel, TextWriter output, string outputDirectory) : IReplyWriter
{
    private string _printed = "";
    private int _messages;

    public ChannelLimits Limits { get; } = new(int.MaxValue, TimeSpan.Zero, long.MaxValue, AppendOnly: true);

    public Task<string> PostAsync(string text, CancellationToken cancellationToken = default)
    {
        lock (channel.OutputLock)
        {
            _printed = text;
            output.Write(text);
            output.Flush();
        }

        return Task.FromResult($"terminal-{++_messages}");
    }

    public Task EditAsync(string messageId, string text, CancellationToken cancellationToken = default)
    {
        lock (channel.OutputLock)
        {
            // Append-only: the core only ever extends the text, but print a changed text whole rather than lose it.
            output.Write(text.StartsWith(_printed, StringComparison.Ordinal) ? text[_printed.Length..] : Environment.NewLine + text);
            _printed = text;
            output.Flush();
        }

        return Task.CompletedTask;
    }

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        foreach (var file in files)
        {
            var path = UniquePath(Path.Combine(outputDirectory, SafeName(file.FileName)));
            await File.WriteAllBytesAsync(path, file.Content.ToArray(), cancellationToken).ConfigureAwait(false);
            lock (channel.OutputLock)
            {
                output.Write($"{Environment.NewLine}📎 Saved {Path.GetFullPath(path)}");
                output.Flush();
            }
        }
    }

    public Task ShowStatusAsync(string? status, CancellationToken cancellationToken = default)
    {
        if (status is not null)
            Console.Error.WriteLine($"… {status}");
        return Task.CompletedTask;
    }

    private static string SafeName(string name)
    {
        var safe = string.Concat(Path.GetFileName(name).Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c));
        return safe.Length == 0 ? "file" : safe;
    }

    private static string UniquePath(string path)
    {
        var stem = Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
        var extension = Path.GetExtension(path);
        for (var i = 2; File.Exists(path); i++)
            path = $"{stem}-{i}{extension}";
        return path;
    }
}
