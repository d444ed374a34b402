using System.Text.Json;
using Bot.Core.Tools.Approvals;
using Bot.Web.Access;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Api;

/// <summary>
/// POST /api/threads/{thread}/approvals/{approval} with <c>{"approve":true|false}</c> (at most 256 bytes): the visitor's
/// answer to a question of their own thread, passed on with the visitor id as the user id. A refused answer (someone
/// else's question, a second answer, a late one) gets 409 and the sentence every channel uses.
/// </summary>
internal static partial class WebChatEndpoints
{
    private const int MaxApprovalBodyBytes = 256;

    private static async Task<IResult> AnswerApprovalAsync(HttpContext context, string thread, string approval, VisitorDirectory visitors,
        WebThreadStore threads, IApprovalAnswers answers)
    {
        var found = await FindAsync(context, thread, visitors, threads).ConfigureAwait(false);
        if (found is null)
            return NotFound();
        threads.Release(found);

        var approve = await ReadApproveAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        if (approve is null)
            return WebApiError.Result(StatusCodes.Status400BadRequest, "invalid", "Send {\"approve\": true} or {\"approve\": false}.");

        var result = answers.Answer(approval, VisitorDirectory.Visitor(context), mayAnswerForOthers: false, approve.Value);
        return ApprovalTexts.AnswerReply(result) is { } refusal
            ? WebApiError.Result(StatusCodes.Status409Conflict, result switch
            {
                ApprovalAnswerResult.NotYours => "not_yours",
                ApprovalAnswerResult.AlreadyAnswered => "already_answered",
                _ => "expired",
            }, refusal)
            : Results.Json(new { accepted = true }, WebJson.Options);
    }

    // The body, read up to the limit (a longer one is not an answer); null when it is not {"approve": bool}.
    private static async Task<bool?> ReadApproveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxApprovalBodyBytes)
            return null;
        var buffer = new byte[MaxApprovalBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            length += read;
        if (length > MaxApprovalBodyBytes)
            return null;
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("approve", out var approve)
                && approve.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? approve.GetBoolean()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
