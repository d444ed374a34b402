using System.ClientModel;
using Bot.Core.Backends;

namespace Bot.OpenAI;

/// <summary>Turns SDK and network exceptions, error events and failed responses into <see cref="AssistantFailureException"/>.</summary>
internal static class FailureMapping
{
    // The error code of a request or response that does not fit the model's context.
    private const string ContextLengthExceeded = "context_length_exceeded";

    /// <summary>Runs an SDK call that has not started streaming, translating its failures for the user.</summary>
    /// <summary>An SDK call whose failures become <see cref="AssistantFailureException"/>, unwrapped to its value.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<System.ClientModel.ClientResult<T>>> call, CancellationToken cancellationToken) =>
        (await GuardAsync(call, cancellationToken).ConfigureAwait(false)).Value;

    public static async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (FromException(ex, midStream: false, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>Maps an exception thrown by an SDK call. Returns null for the caller's own cancellation.</summary>
    public static AssistantFailureException? FromException(Exception exception, bool midStream, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return null;
        return exception switch
        {
            AssistantFailureException failure => failure,
            ClientResultException { Status: 401 or 403 } e => new(FailureKind.Unauthorized, e.Message, e),
            ClientResultException { Status: 429 } e when e.Message.Contains("insufficient_quota", StringComparison.Ordinal)
                => new(FailureKind.QuotaExceeded, e.Message, e),
            ClientResultException { Status: 429 } e => new(FailureKind.Busy, e.Message, e),
            ClientResultException { Status: 503 } e => new(FailureKind.Busy, e.Message, e),
            ClientResultException { Status: >= 500 or 408 } e => new(FailureKind.ServiceError, e.Message, e),
            ClientResultException { Status: 0 } e => new(midStream ? FailureKind.StreamCut : FailureKind.Unreachable, e.Message, e),
            ClientResultException { Status: 404 } e => new(FailureKind.Misconfigured, e.Message, e),
            ClientResultException { Status: 400 } e when e.Message.Contains(ContextLengthExceeded, StringComparison.Ordinal)
                => new(FailureKind.ContextTooLong, e.Message, e),
            ClientResultException e => new(FailureKind.Rejected, e.Message, e),
            // A network timeout surfaces as a cancellation the caller did not ask for.
            OperationCanceledException e => new(midStream ? FailureKind.StreamCut : FailureKind.Unreachable, "The request timed out.", e),
            HttpRequestException or IOException => new(midStream ? FailureKind.StreamCut : FailureKind.Unreachable, exception.Message, exception),
            _ => new(FailureKind.ServiceError, exception.Message, exception),
        };
    }

    /// <summary>Maps an error code from an <c>error</c> event or a failed response.</summary>
    public static AssistantFailureException FromErrorCode(string? code, string? message) => new(
        code switch
        {
            "rate_limit_exceeded" or "server_is_overloaded" or "slow_down" => FailureKind.Busy,
            "insufficient_quota" => FailureKind.QuotaExceeded,
            "model_not_found" => FailureKind.Misconfigured,
            ContextLengthExceeded => FailureKind.ContextTooLong,
            "invalid_prompt" or "invalid_request_error" or "invalid_image" or "invalid_image_format" or "empty_image_file" or "image_too_large"
                => FailureKind.Rejected,
            _ => FailureKind.ServiceError,
        },
        $"{code ?? "error"}: {message}");
}
