using System.ClientModel;
using Bot.Core.Backends;
using Bot.Core.Channels;
using OpenAI.Files;

namespace Bot.OpenAI.Assistants;

/// <summary>The turn's output beyond live text: finished messages with their citations, and the generated files.</summary>
public sealed partial class AssistantsBackend
{
    /// <summary>What a turn has rendered and downloaded so far, so that no message or file is shown twice.</summary>
    private sealed class TurnOutput(AssistantsBackend backend, RemoteThread thread)
    {
        private readonly HashSet<string> _renderedMessages = new(StringComparer.Ordinal);
        private readonly HashSet<string> _downloaded = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _fileNames = new(StringComparer.Ordinal);
        private readonly List<GeneratedFile> _pending = [];
        private int _images;

        public bool HasRendered(string messageId) => _renderedMessages.Contains(messageId);

        /// <summary>The final text of every newly finished message: markers out, citations in, generated files noted.</summary>
        public async Task<List<AssistantEvent>> RenderAsync(RunStreamTranslator translator, CancellationToken cancellationToken)
        {
            var events = new List<AssistantEvent>();
            foreach (var message in translator.FinishedMessages)
            {
                if (!_renderedMessages.Add(message.Id))
                    continue;
                var (parts, files) = MessageRenderer.Render(message, translator);
                _pending.AddRange(files);
                foreach (var part in parts)
                {
                    events.Add(new TextPartCompleted(part.PartId, part.Text));
                    foreach (var (index, fileId) in part.Citations)
                        events.Add(new FileCitation(part.PartId, index, fileId, await FileNameAsync(fileId, cancellationToken).ConfigureAwait(false)));
                }
            }

            translator.FinishedMessages.Clear();
            return events;
        }

        /// <summary>Downloads the generated files the messages named (or, failing those, the run steps' images).</summary>
        public async Task<List<AssistantEvent>> DownloadAsync(RunStreamTranslator translator, CancellationToken cancellationToken)
        {
            if (_pending.Count == 0 && _downloaded.Count == 0)
                _pending.AddRange(translator.StepImageFileIds.Select(id => new GeneratedFile(id, null)));
            var ready = new List<AssistantEvent>();
            foreach (var file in _pending)
            {
                if (_downloaded.Add(file.FileId) && await backend.DownloadAsync(thread, file, ++_images, cancellationToken).ConfigureAwait(false) is { } done)
                    ready.Add(done);
            }

            _pending.Clear();
            return ready;
        }

        private async Task<string> FileNameAsync(string fileId, CancellationToken cancellationToken)
        {
            if (_fileNames.TryGetValue(fileId, out var known))
                return known;
            string name;
            try
            {
                OpenAIFile file = await backend.Clients.Files.GetFileAsync(fileId, cancellationToken).ConfigureAwait(false);
                name = file.Filename;
            }
            catch (ClientResultException)
            {
                name = "a source file";
            }

            _fileNames[fileId] = name;
            return name;
        }
    }

    /// <summary>
    /// Fetches one generated file (recorded first, so that reset deletes it even if the download fails), or says it is
    /// too large to fetch.
    /// </summary>
    private async Task<AssistantEvent?> DownloadAsync(RemoteThread thread, GeneratedFile generated, int number, CancellationToken cancellationToken)
    {
        try
        {
            var name = generated.FileName;
            if (name is null)
            {
                OpenAIFile info = await Clients.Files.GetFileAsync(generated.FileId, cancellationToken).ConfigureAwait(false);
                name = Path.GetFileName(info.Filename);
                if (string.IsNullOrEmpty(name) || !Path.HasExtension(name))
                    name = $"image-{number}.png";
            }

            await thread.RecordCreatedAsync(RemoteObjectKind.File, generated.FileId, name, GeneratedFilePurpose, cancellationToken).ConfigureAwait(false);
            var content = await OutputFileContent.ReadAsync(options => Clients.Files.DownloadFileAsync(generated.FileId, options),
                Options.MaxOutputFileBytes, cancellationToken).ConfigureAwait(false);
            if (content is not { } bytes)
            {
                Log.OutputFileTooLarge(_logger, generated.FileId, name, Options.MaxOutputFileBytes);
                return new OutputFileTooLarge(name, Options.MaxOutputFileBytes, generated.FileId);
            }

            return new OutputFileReady(new OutputFile(name, MediaTypes.FromFileName(name), bytes), generated.FileId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.AssistantFileDownloadFailed(_logger, generated.FileId, ex);
            return null;
        }
    }
}
