using System.Text;
using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bot.Web.Api;

/// <summary>
/// Takes a message from the page (multipart: a <c>text</c> field and any number of <c>files</c>), checks
/// each file against the core's attachment policy and size limits while it streams to disk, and hands the
/// message to the core. A refused file refuses the whole message with one clear sentence, so nothing
/// half-sent reaches the assistant and the visitor can fix it and send again.
/// </summary>
internal sealed class MessageIntake(
    ConversationService conversations,
    AttachmentPolicy policy,
    IOptions<AttachmentOptions> attachmentOptions,
    ILogger<MessageIntake> logger)
{
    private const int MaxTextBytes = 1024 * 1024;
    private readonly AttachmentOptions _limits = attachmentOptions.Value;

    public async Task<IResult> SendAsync(HttpContext context, WebThread thread, string visitor, CancellationToken cancellationToken)
    {
        var boundary = Boundary(context.Request.ContentType);
        if (boundary is null)
            return WebApiError.Result(StatusCodes.Status415UnsupportedMediaType, "multipart", "Send the message as multipart/form-data.");

        AllowLargeBody(context);
        var files = new List<(IncomingAttachment Attachment, WebFile Shown)>();
        try
        {
            var (text, refusal) = await ReadAsync(context, boundary, thread, files, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                Log.UploadRefused(logger, thread.Id, refusal.Error);
                Discard(files);
                return WebApiError.Result(refusal.Code == "too_large" ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    refusal.Code, refusal.Error);
            }

            if (string.IsNullOrWhiteSpace(text) && files.Count == 0)
                return WebApiError.Result(StatusCodes.Status400BadRequest, "empty", "Type a message or attach a file.");

            return await AcceptAsync(thread, visitor, text, files).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Discard(files);
            return WebApiError.Result(StatusCodes.Status413PayloadTooLarge, "too_large", "The message with its files is too large to send.");
        }
        catch
        {
            Discard(files);
            throw;
        }
    }

    private async Task<IResult> AcceptAsync(WebThread thread, string visitor, string text, List<(IncomingAttachment Attachment, WebFile Shown)> files)
    {
        var id = "u-" + WebThreadStore.NewId(8);
        var now = DateTimeOffset.UtcNow;
        var message = new IncomingMessage(new ConversationKey(WebChannel.ChannelName, thread.Id), id, new MessageAuthor(visitor, "Web visitor"),
            text.Trim(), [.. files.Select(f => f.Attachment)], now, ReplyAddress: thread.Id);

        thread.Upsert(new WebMessage(id, WebMessage.User, text.Trim(), [.. files.Select(f => f.Shown)], now));
        thread.TurnQueued();
        AcceptResult accepted;
        try
        {
            // Not the request's token: once the visitor's message is shown, a closed tab must not leave it half-accepted.
            accepted = await conversations.AcceptAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            thread.TurnEnded(TurnStatus.Failed);
            throw;
        }

        await thread.SaveAsync(CancellationToken.None).ConfigureAwait(false);
        _ = FollowAsync(thread, accepted.Answered);
        return Results.Json(new { id, thread = thread.Id }, WebJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private async Task FollowAsync(WebThread thread, Task<TurnStatus> answered)
    {
        var status = TurnStatus.Failed;
        try
        {
            status = await answered.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.TurnWaitFailed(logger, thread.Id, ex);
        }

        thread.TurnEnded(status);
        await thread.SaveAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<(string Text, WebApiError? Refusal)> ReadAsync(HttpContext context, string boundary, WebThread thread,
        List<(IncomingAttachment Attachment, WebFile Shown)> files, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var reader = new MultipartReader(boundary, context.Request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                continue;

            var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
            if (fileName is null)
            {
                if (disposition.Name.Value == "text")
                {
                    var field = await ReadTextAsync(section.Body, cancellationToken).ConfigureAwait(false);
                    if (field is null)
                        return ("", new WebApiError("The message is too long. Attach long text as a .txt file.", "too_large"));
                    text.Append(field);
                }

                continue;
            }

            if (fileName.Trim().Length == 0)
                continue; // an empty file input
            if (files.Count >= _limits.MaxFilesPerMessage)
                return ("", new WebApiError($"Attach at most {_limits.MaxFilesPerMessage} files to one message.", "too_many_files"));

            var refusal = await SaveFileAsync(section, WebThreadStore.SafeName(fileName), thread, files, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
                return ("", refusal);
        }

        return (text.ToString(), null);
    }

    private async Task<WebApiError?> SaveFileAsync(MultipartSection section, string name, WebThread thread,
        List<(IncomingAttachment Attachment, WebFile Shown)> files, CancellationToken cancellationToken)
    {
        var contentType = string.IsNullOrWhiteSpace(section.ContentType) ? "application/octet-stream" : section.ContentType;
        var decision = policy.Decide(new IncomingAttachment(name, contentType, null, ""));
        if (!decision.Accepted)
            return new WebApiError($"I can't take {name}: {decision.Refusal}.", "unsupported_file");

        var limit = policy.MaxBytes(decision.Target!.Value);
        var path = WebThreadStore.NewUploadPath(thread, name);
        long size;
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await section.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (target.Length + read > limit)
                {
                    await target.DisposeAsync().ConfigureAwait(false);
                    File.Delete(path);
                    return new WebApiError($"{name} is larger than the {AttachmentPolicy.FormatSize(limit)} limit for this kind of file, so nothing was sent.",
                        "too_large");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            size = target.Length;
        }

        if (size == 0)
        {
            File.Delete(path);
            return new WebApiError($"{name} is empty.", "empty_file");
        }

        files.Add((new IncomingAttachment(name, contentType, size, path), new WebFile(null, name, contentType, size)));
        return null;
    }

    private static async Task<string?> ReadTextAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxTextBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Kestrel stops bodies at 30 MB by default; a message may carry as many files as the policy allows.
    private void AllowLargeBody(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            var perFile = Math.Max(_limits.MaxFileBytes, _limits.MaxImageBytes);
            feature.MaxRequestBodySize = perFile * _limits.MaxFilesPerMessage + MaxTextBytes + 1024 * 1024;
        }
    }

    private static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return null;
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200 ? null : boundary;
    }

    private static void Discard(List<(IncomingAttachment Attachment, WebFile Shown)> files)
    {
        foreach (var (attachment, _) in files)
        {
            try
            {
                File.Delete(attachment.Source);
            }
            catch (IOException)
            {
            }
        }

        files.Clear();
    }
}
