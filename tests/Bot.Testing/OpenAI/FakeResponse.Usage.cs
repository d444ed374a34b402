namespace Bot.Testing.OpenAI;

/// <summary>The usage a scripted response reports.</summary>
public sealed partial class FakeResponse
{
    /// <summary>What the response's `usage` reports, set with <see cref="Usage"/>; null: an estimate from the text.</summary>
    internal (int Input, int Output)? ReportedUsage { get; private set; }

    /// <summary>The cached part of the input tokens, set with <see cref="Usage"/>.</summary>
    internal int ReportedCachedTokens { get; private set; }

    /// <summary>
    /// Reports exactly these token counts in the response's (or run's) `usage` (total = input + output), of which
    /// <paramref name="cachedInputTokens"/> input tokens came from the prompt cache.
    /// </summary>
    public FakeResponse Usage(int inputTokens, int outputTokens, int cachedInputTokens = 0)
    {
        ReportedUsage = (inputTokens, outputTokens);
        ReportedCachedTokens = cachedInputTokens;
        return this;
    }
}
