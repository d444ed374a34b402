using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Attachments;

/// <summary>
/// Takes a turn's attachments through the policy, downloads the accepted ones from their channel
/// within the size limit and uploads them to the backend. Every file that cannot be used becomes a
/// notice naming it and why; the rest of the turn goes on.
/// </summary>
internal sealed class AttachmentIntake(AttachmentPolicy policy, ILogger logger)
{
    public async Task<IReadOnlyList<UploadedFile>> UploadAsync(IChatChannel channel, IAssistantBackend backend, RemoteThread thread,
        IEnumerable<IncomingMessage> messages, ICollection<string> notices, CancellationToken cancellationToken)
    {
        var uploaded = new List<UploadedFile>();
        foreach (var message in messages)
        {
            foreach (var decision in policy.Decide(message.Attachments))
            {
                var name = decision.Attachment.FileName;
                if (!decision.Accepted)
                {
                    Skip(message, name, decision.Refusal!, notices, null);
                    continue;
                }

                try
                {
                    var file = await UploadOneAsync(channel, backend, thread, decision.Attachment, decision.Target!.Value, cancellationToken)
                        .ConfigureAwait(false);
                    if (file is null)
                        Skip(message, name, "the file is empty", notices, null);
                    else
                        uploaded.Add(file);
                }
                catch (AttachmentTooLargeException ex)
                {
                    Skip(message, name, $"it is over the {AttachmentPolicy.FormatSize(ex.Limit)} limit", notices, null);
                }
                catch (AttachmentDownloadException ex)
                {
                    Skip(message, name, "it could not be downloaded", notices, ex.InnerException ?? ex);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    Skip(message, name, "the assistant service did not accept it", notices, ex);
                }
            }
        }

        return uploaded;
    }

    private async Task<UploadedFile?> UploadOneAsync(IChatChannel channel, IAssistantBackend backend, RemoteThread thread,
        IncomingAttachment attachment, AttachmentTarget target, CancellationToken cancellationToken)
    {
        Stream download;
        try
        {
            download = await channel.OpenAttachmentAsync(attachment, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new AttachmentDownloadException(ex);
        }

        // Spool to a temporary file: memory stays flat for big files, the upload can be retried
        // (it needs a seekable body), and an empty download is known before anything is sent.
        await using var limited = new SizeLimitedStream(download, policy.MaxBytes(target));
        await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None,
            bufferSize: 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await limited.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
        if (spool.Length == 0)
            return null;
        spool.Position = 0;

        var contentType = attachment.ContentType ?? "application/octet-stream";
        return await backend.UploadAsync(thread, new AttachmentUpload(attachment.FileName, contentType, target, spool), cancellationToken)
            .ConfigureAwait(false);
    }

    private void Skip(IncomingMessage message, string fileName, string reason, ICollection<string> notices, Exception? exception)
    {
        Log.AttachmentSkipped(logger, fileName, message.MessageId, message.Conversation, reason, exception);
        notices.Add($"⚠️ I skipped **{fileName}**: {reason}.");
    }
}

/// <summary>A download that failed before any byte arrived (wraps the channel's error).</summary>
internal sealed class AttachmentDownloadException(Exception inner) : Exception("The attachment could not be downloaded.", inner);
