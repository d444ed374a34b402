namespace Bot.Testing.OpenAI;

/// <summary>
/// Answers whose text looks like what the core used to produce, for the tests of issue 11: a model's own numbered
/// reference list and a closing italic line ending in "…" are the model's text and must arrive exactly as written.
/// </summary>
public static class ModelText
{
    /// <summary>A reference list and a final italic line, both written by the model.</summary>
    public const string ReferenceListAndItalicEnding =
        "Two studies agree on this.\n\n[1] Smith, 2020\n[2] Jones, 2021\n\n_To be continued…_";

    /// <summary>Where a real file citation points in <see cref="ReferenceListAndItalicEnding"/> (after "this").</summary>
    public const int CitedIndex = 25;
}
