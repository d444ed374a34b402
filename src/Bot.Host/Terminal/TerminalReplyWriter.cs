using System.Text;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Core.Storage;

namespace Bot.Host.Terminal;

/// <summary>
/// Lays a reply out for the terminal, whose text can only grow: no markers inside the answer, the tool status apart
/// (standard error), the sources listed at the end of the final text.
/// </summary>
internal sealed class TerminalPresenter : IReplyPresenter
{
    public static TerminalPresenter Instance { get; } = new();

    public ReplyPresentation Present(ReplySnapshot snapshot)
    {
        var text = ReplyMarkdown.Body(snapshot, inlineMarkers: false);
        if (snapshot.IsFinal)
            ReplyMarkdown.AppendFootnotes(text, snapshot.Citations, ReplyMarkdown.PlainSource);
        return new ReplyPresentation(text.ToString(), Status: snapshot.Status);
    }
}

/// <summary>
/// Writes one reply to the terminal, appending as the text grows. Everything printed that came from outside (the
/// model's text, file and tool names) goes through <see cref="TerminalText"/> first. Generated files are saved one by
/// one under safe, unique names, owner-only; a file that cannot be saved is reported on its own line.
/// </summary>
internal sealed partial class TerminalReplyWriter(TerminalChannel channel, TextWriter output, TextWriter error, string outputDirectory) : IReplyWriter
{
    private string _raw = "";
    private int _used;
    private int _messages;

    public ChannelLimits Limits { get; } = new(int.MaxValue, TimeSpan.Zero, long.MaxValue);

    public IReplyPresenter Presenter => TerminalPresenter.Instance;

    public Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
    {
        lock (channel.OutputLock)
        {
            (_raw, _used) = ("", 0);
            PrintGrowth(message.Text);
        }

        return Task.FromResult(PostResult.Posted($"terminal-{++_messages}"));
    }

    public Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default)
    {
        var text = message.Text;
        lock (channel.OutputLock)
        {
            // Append-only: the core only ever extends the text, but print a changed text whole rather than lose it.
            if (!text.StartsWith(_raw, StringComparison.Ordinal))
            {
                output.Write(Environment.NewLine);
                (_raw, _used) = ("", 0);
            }

            PrintGrowth(text);
        }

        return Task.CompletedTask;
    }

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        foreach (var file in files)
        {
            var name = TerminalFileNames.Safe(file.FileName);
            string line;
            try
            {
                var path = await SaveAsync(name, file.Content, cancellationToken).ConfigureAwait(false);
                line = $"📎 Saved {TerminalText.Clean(Path.GetFullPath(path))}";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // One file's failure is that file's line; the others are still saved, and nothing is retried twice.
                line = $"⚠️ Could not save {name}: {TerminalText.Clean(ex.Message)}";
            }

            lock (channel.OutputLock)
            {
                output.Write(Environment.NewLine + line);
                output.Flush();
            }
        }
    }

    public Task ShowStatusAsync(ToolStatus? status, CancellationToken cancellationToken = default)
    {
        if (status is not null)
        {
            lock (channel.OutputLock)
            {
                error.WriteLine($"… {TerminalText.Clean(status.Text)}");
                error.Flush();
            }
        }

        return Task.CompletedTask;
    }

    // Prints what `text` adds to what was printed, cleaned. An escape sequence still growing at the end is held back
    // until the text that completes it arrives (the reply text only ever grows here).
    private void PrintGrowth(string text)
    {
        var clean = new StringBuilder();
        _used += TerminalText.Append(text.AsSpan(_used), clean, final: false);
        _raw = text;
        output.Write(clean.ToString());
        output.Flush();
    }

    // Creates the file under the first free candidate name, owner-only, and writes it. Returns its path.
    private async Task<string> SaveAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        PrivateFiles.CreateFolder(outputDirectory);
        for (var number = 1; ; number++)
        {
            var path = Path.Combine(outputDirectory, TerminalFileNames.Numbered(name, number));
            FileStream stream;
            try
            {
                stream = new FileStream(path, PrivateFiles.CreateOptions(FileMode.CreateNew));
            }
            catch (IOException) when (File.Exists(path) || Directory.Exists(path))
            {
                continue; // taken (CreateNew makes the check and the creation one step): try the next number
            }

            try
            {
                await using (stream.ConfigureAwait(false))
                    await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                return path;
            }
            catch
            {
                // No half-written file is left looking like a result.
                File.Delete(path);
                throw;
            }
        }
    }
}
