using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Moderation;

/// <summary>
/// The images of a turn's messages, read for the moderation check through their channel (which keeps to its allowed
/// hosts) within the image size limit, as the attachment intake reads them. Only what the moderation model takes is
/// checked: PNG, JPEG, GIF and WebP, known by their first bytes, not by the name or content type the platform reports.
/// An image that cannot be read is left out: the turn goes on, and its upload reports the problem.
/// </summary>
internal sealed class ModerationImages(long maxBytes, ILogger logger)
{
    private static readonly string[] s_extensions = [".png", ".jpg", ".jpeg", ".gif", ".webp"];

    /// <summary>Adds one input per readable image of <paramref name="message"/>.</summary>
    public async Task AddAsync(IChatChannel channel, IncomingMessage message, List<(IncomingMessage Message, ModerationInput Input)> inputs,
        CancellationToken cancellationToken)
    {
        foreach (var attachment in message.Attachments)
        {
            if (!LooksLikeImage(attachment))
                continue;
            if (attachment.SizeBytes > maxBytes)
            {
                Log.ImageNotChecked(logger, message.MessageId, message.Conversation, "over the image size limit");
                continue;
            }

            if (await ReadAsync(channel, attachment, message, cancellationToken).ConfigureAwait(false) is { } image)
                inputs.Add((message, image));
        }
    }

    private static bool LooksLikeImage(IncomingAttachment attachment) =>
        attachment.ContentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true
        || s_extensions.Contains(Path.GetExtension(attachment.FileName), StringComparer.OrdinalIgnoreCase);

    private async Task<ModerationInput?> ReadAsync(IChatChannel channel, IncomingAttachment attachment, IncomingMessage message,
        CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await using var download = await channel.OpenAttachmentAsync(attachment, cancellationToken).ConfigureAwait(false);
            await using var limited = new SizeLimitedStream(download, maxBytes);
            using var buffer = new MemoryStream();
            await limited.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            bytes = buffer.ToArray();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AttachmentTooLargeException)
        {
            Log.ImageNotChecked(logger, message.MessageId, message.Conversation, "over the image size limit");
            return null;
        }
        catch (Exception ex)
        {
            Log.ImageNotReadable(logger, message.MessageId, message.Conversation, ex);
            return null;
        }

        if (ImageSignature.MediaTypeOf(bytes) is not { } mediaType)
        {
            Log.ImageNotChecked(logger, message.MessageId, message.Conversation, "not a PNG, JPEG, GIF or WebP image");
            return null;
        }

        return ModerationInput.OfImage(bytes, mediaType);
    }
}
