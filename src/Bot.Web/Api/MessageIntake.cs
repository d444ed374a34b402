using System.Text;
using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Core.Storage;
using Bot.Web.Access;
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
/// half-sent reaches the assistant and the visitor can fix it and send again. The text of all parts together
/// is at most 1 MB, and the whole body at most <c>Web:MaxRequestBytes</c> (Kestrel counts it as it streams in).
/// </summary>
internal sealed class MessageIntake(
    ConversationService conversations,
    AttachmentPolicy policy,
    WebThreadStore threads,
    VisitorDirectory visitors,
    IOptions<AttachmentOptions> attachmentOptions,
    IOptions<WebChatOptions> webOptions,
    ILogger<MessageIntake> logger)
{
    private const int MaxTextBytes = 1024 * 1024;
    private readonly AttachmentOptions _limits = attachmentOptions.Value;
    private readonly long _maxRequestBytes = webOptions.Value.MaxRequestBytes;

    public async Task<IResult> SendAsync(HttpContext context, WebThread thread, string visitor, CancellationToken cancellationToken)
    {
        var boundary = Boundary(context.Request.ContentType);
        if (boundary is null)
            return WebApiError.Result(StatusCodes.Status415UnsupportedMediaType, "multipart", "Send the message as multipart/form-data.");

        LimitBody(context);
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
            var error = $"The message with its files is larger than the {AttachmentPolicy.FormatSize(_maxRequestBytes)} limit, so nothing was sent.";
            Log.UploadRefused(logger, thread.Id, error);
            return WebApiError.Result(StatusCodes.Status413PayloadTooLarge, "too_large", error);
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
            text.Trim(), [.. files.Select(f => f.Attachment)], now, ReplyAddress: thread.Id, Places: WebChatEndpoints.VisitorPlace(visitor));

        // Not the request's token from here on: once the visitor's message is shown, a closed tab must not leave it half-accepted.
        await visitors.ClaimAsync(visitor, thread.Id, CancellationToken.None).ConfigureAwait(false);
        var shown = new WebMessage(id, WebMessage.User, text.Trim(), [.. files.Select(f => f.Shown)], now);
        while (!thread.TryAdmit(shown))
            thread = await threads.GetAsync(thread.Id, CancellationToken.None).ConfigureAwait(false); // an empty thread was retired meanwhile
        AcceptResult accepted;
        try
        {
            using var span = WebTelemetry.StartAccept();
            accepted = await conversations.AcceptAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            thread.TurnEnded(TurnStatus.Failed);
            throw;
        }

        await thread.SaveAsync(CancellationToken.None).ConfigureAwait(false);
        BackgroundWork.Observe(FollowAsync(thread, accepted.Answered), logger, $"following web thread {thread.Id}");
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
        // The limit is for the message's whole text, however many parts it comes in.
        using var text = new MemoryStream();
        var reader = new MultipartReader(boundary, context.Request.Body);
        while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) ||
                !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                continue;

            var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
            if (fileName is null)
            {
                if (disposition.Name.Value == "text" && !await ReadTextAsync(section.Body, text, cancellationToken).ConfigureAwait(false))
                    return ("", new WebApiError("The message is too long. Attach long text as a .txt file.", "too_large"));

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

        return (Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length), null);
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
        try
        {
            size = await CopyWithinAsync(section.Body, path, limit, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The body broke off (a cut connection, the request's size limit): no partial upload stays behind.
            File.Delete(path);
            throw;
        }

        if (size < 0)
        {
            File.Delete(path);
            return new WebApiError($"{name} is larger than the {AttachmentPolicy.FormatSize(limit)} limit for this kind of file, so nothing was sent.",
                "too_large");
        }

        if (size == 0)
        {
            File.Delete(path);
            return new WebApiError($"{name} is empty.", "empty_file");
        }

        files.Add((new IncomingAttachment(name, contentType, size, threads.UploadSource(path)), new WebFile(null, name, contentType, size)));
        return null;
    }

    // Streams an upload to its file; -1 as soon as it passes the limit.
    private static async Task<long> CopyWithinAsync(Stream body, string path, long limit, CancellationToken cancellationToken)
    {
        await using var target = new FileStream(path, PrivateFiles.CreateOptions());
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (target.Length + read > limit)
                return -1;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        return target.Length;
    }

    // Appends a text part to the message's text; false when the text of all parts together passes the limit.
    private static async Task<bool> ReadTextAsync(Stream body, MemoryStream text, CancellationToken cancellationToken)
    {
        var chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > MaxTextBytes)
                return false;
            text.Write(chunk, 0, read);
        }

        return true;
    }

    // The whole body of a message, files included, is bounded by Web:MaxRequestBytes (Kestrel's own default is 30 MB).
    // Kestrel enforces it as the body streams in, also for a chunked body that announced no length.
    private void LimitBody(HttpContext context)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
            feature.MaxRequestBodySize = _maxRequestBytes;
    }

    private static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return null;
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200 ? null : boundary;
    }

    private void Discard(List<(IncomingAttachment Attachment, WebFile Shown)> files)
    {
        foreach (var (attachment, _) in files)
        {
            try
            {
                File.Delete(threads.UploadPath(attachment.Source));
            }
            catch (IOException)
            {
            }
        }

        files.Clear();
    }
}
