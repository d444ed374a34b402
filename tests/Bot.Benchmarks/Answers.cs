using System.Text;

namespace Bot.Benchmarks;

/// <summary>The texts both processes agree on: what the users ask and what the fake answers.</summary>
internal static class Answers
{
    /// <summary>Questions that start with this get the long answer at the configured token rate.</summary>
    public const string LoadPrefix = "bench";

    /// <summary>Questions that start with this get the long answer at <see cref="WarmUpTokenIntervalMs"/> (to warm the process up).</summary>
    public const string WarmUpPrefix = "warm-up";

    /// <summary>Token interval of warm-up answers (or the configured one, when shorter).</summary>
    public const int WarmUpTokenIntervalMs = 2;

    /// <summary>What every other question (warm-up, conversation-length turns) gets, with no token delay.</summary>
    public const string Short = "Short answer.";

    private static readonly string[] s_words =
    [
        "The", "lane", "keeps", "one", "turn", "per", "chat", "while", "other", "chats", "run", "in", "step", "with", "their", "own",
        "pace", "and", "every", "reply", "grows", "as", "the", "model", "types", "it",
    ];

    /// <summary>
    /// An answer of exactly <paramref name="tokens"/> fake deltas: words of at most six letters (one delta each,
    /// the space travelling with the word) and a full stop (its own delta) after every eleventh word.
    /// </summary>
    public static string Long(int tokens)
    {
        var text = new StringBuilder();
        var words = 0;
        for (var token = 0; token < tokens; token++)
        {
            if (words == 11)
            {
                text.Append('.');
                words = 0;
                continue;
            }

            if (text.Length > 0)
                text.Append(' ');
            text.Append(s_words[token % s_words.Length]);
            words++;
        }

        return text.ToString();
    }

    public static string Question(string scenario, int conversation) => $"{LoadPrefix} {scenario} {conversation}: how do lanes work?";
}
