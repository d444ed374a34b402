using System.ClientModel.Primitives;
using System.Text.Json;
using Bot.Core.Backends;
using OpenAI.Assistants;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// A finished run's token usage. The spec's RunCompletionUsage names only prompt, completion and total tokens, and the
/// SDK has no property for more; the service also writes <c>prompt_token_details.cached_tokens</c> (so spelt in the
/// recorded runs), which the SDK's model keeps as an unknown property and writes back: it is read from there.
/// </summary>
internal static class RunUsage
{
    public static TokenUsage Of(RunTokenUsage usage) => new(usage.InputTokenCount, usage.OutputTokenCount, CachedTokens(usage));

    private static long CachedTokens(RunTokenUsage usage)
    {
        var reader = new Utf8JsonReader(ModelReaderWriter.Write(usage).ToMemory().Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // prompt_tokens_details, as the chat completions API spells it, is read too.
            var details = reader.ValueTextEquals("prompt_token_details"u8) || reader.ValueTextEquals("prompt_tokens_details"u8);
            reader.Read();
            if (details && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var cached = reader.ValueTextEquals("cached_tokens"u8);
                    reader.Read();
                    if (cached && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var tokens) && tokens >= 0)
                        return tokens;
                    reader.Skip();
                }

                return 0;
            }

            reader.Skip();
        }

        return 0;
    }
}
