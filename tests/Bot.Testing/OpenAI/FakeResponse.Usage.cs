namespace Bot.Testing.OpenAI;

/// <summary>The usage a scripted response reports.</summary>
public sealed partial class FakeResponse
{
    /// <summary>What the response's `usage` reports, set with <see cref="Usage"/>; null: an estimate from the text.</summary>
    internal (int Input, int Output)? ReportedUsage { get; private set; }

    /// <summary>Reports exactly these token counts in the response's `usage` (total = input + output).</summary>
    public FakeResponse Usage(int inputTokens, int outputTokens)
    {
        ReportedUsage = (inputTokens, outputTokens);
        return this;
    }
}
