using Microsoft.Extensions.Options;

namespace Bot.OpenAI;

/// <summary>Checks the OpenAI settings at start and names each problem by its key.</summary>
internal sealed partial class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>
{
    private const long MaxOutputFileLimit = 1024L * 1024 * 1024;

    // The service's minimum compact_threshold.
    private const int MinCompactThreshold = 1000;

    public ValidateOptionsResult Validate(string? name, OpenAIOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ApiKey))
            errors.Add("OpenAI:ApiKey: missing. Set OPENAI_API_KEY (or OpenAI__ApiKey).");
        if (options.Endpoint is not null && !IsHttpUri(options.Endpoint))
            errors.Add($"OpenAI:Endpoint: '{options.Endpoint}' is not an absolute http(s) URL (OPENAI_BASE_URL sets it too).");
        if (!string.Equals(options.Api, ApiKinds.Responses, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.Api, ApiKinds.Assistants, StringComparison.OrdinalIgnoreCase))
            errors.Add($"OpenAI:Api: '{options.Api}' is not one of Responses, Assistants.");
        if (string.Equals(options.Api, ApiKinds.Assistants, StringComparison.OrdinalIgnoreCase)
            && options.AssistantId is { Length: > 0 } assistantId && !assistantId.Trim().StartsWith("asst_", StringComparison.Ordinal))
            errors.Add($"OpenAI:AssistantId: '{assistantId}' is not an assistant id (they start with asst_); leave it empty to let the bot create one.");
        if (string.IsNullOrWhiteSpace(options.Model))
            errors.Add("OpenAI:Model: missing.");
        if (options.MaxRetries is < 0 or > 10)
            errors.Add("OpenAI:MaxRetries: must be between 0 and 10.");
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
            errors.Add("OpenAI:RetryBaseDelay: must be between 0 and 1 minute.");
        if (options.NetworkTimeout <= TimeSpan.Zero)
            errors.Add("OpenAI:NetworkTimeout: must be positive.");
        // OpenAI:Background (a bool: a value that is not one fails binding) needs nothing more: a background stream that
        // stalls is resumed after OpenAI:NetworkTimeout, which is checked above to be positive (finite).
        if (options.MaxToolRounds is < 1 or > 100)
            errors.Add("OpenAI:MaxToolRounds: must be between 1 and 100.");
        if (options.MaxInputCharacters < 1)
            errors.Add("OpenAI:MaxInputCharacters: must be positive.");
        if (options.CompactThreshold is < 0 or (> 0 and < MinCompactThreshold))
            errors.Add($"OpenAI:CompactThreshold: must be 0 (off) or at least {MinCompactThreshold} tokens.");
        // A generated file is held in memory once read, so the limit stays well within what one buffer can hold.
        if (options.MaxOutputFileBytes is < 1 or > MaxOutputFileLimit)
            errors.Add($"OpenAI:MaxOutputFileBytes: must be between 1 and {MaxOutputFileLimit} (1 GB).");
        ValidateImages(options, errors);
        ValidateAllowedModels(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
