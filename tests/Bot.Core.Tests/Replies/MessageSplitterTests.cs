using Bot.Core.Replies;

namespace Bot.Core.Tests.Replies;

public sealed class MessageSplitterTests
{
    [Fact]
    public void Split_ShortText_IsOneMessage()
    {
        Assert.Equal(["Hello"], MessageSplitter.Split("Hello", 2000));
    }

    [Fact]
    public void Split_LongProse_StaysWithinLimitAndKeepsEveryWord()
    {
        var words = Enumerable.Range(0, 1500).Select(i => $"word{i}").ToList();
        var text = string.Join(' ', words);

        var pieces = MessageSplitter.Split(text, 2000);

        Assert.True(pieces.Count > 1);
        Assert.All(pieces, p => Assert.InRange(p.Length, 1, 2000));
        Assert.Equal(words, pieces.SelectMany(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Split_PrefersParagraphBreaks()
    {
        var paragraph = new string('a', 900);
        var text = $"{paragraph}\n\n{paragraph}\n\n{paragraph}";

        var pieces = MessageSplitter.Split(text, 2000);

        Assert.Equal(2, pieces.Count);
        Assert.Equal($"{paragraph}\n\n{paragraph}", pieces[0]);
    }

    [Fact]
    public void Split_CodeFenceAcrossTheLimit_IsClosedAndReopenedWithItsLanguage()
    {
        var code = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"print({i})  # line {i}"));
        var text = $"Here is the script:\n\n```python\n{code}\n```\n\nRun it with python.";

        var pieces = MessageSplitter.Split(text, 2000);

        Assert.True(pieces.Count >= 3);
        Assert.All(pieces, p => Assert.True(p.Length <= 2000, $"piece of {p.Length} chars"));
        Assert.All(pieces, p => Assert.Equal(0, FenceLines(p) % 2)); // every piece renders with balanced fences
        Assert.All(pieces.Skip(1).SkipLast(1), p => Assert.StartsWith("```python\n", p, StringComparison.Ordinal));
        var lines = pieces.SelectMany(p => p.Split('\n')).Where(l => l.StartsWith("print(", StringComparison.Ordinal)).ToList();
        Assert.Equal(200, lines.Count);
        Assert.EndsWith("Run it with python.", pieces[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Split_AsTextGrows_EarlierPiecesDoNotChange()
    {
        var text = string.Join(' ', Enumerable.Range(0, 3000).Select(i => i % 97 == 0 ? "\n```js\nlet x = 1;\n" : $"w{i}"));

        var before = MessageSplitter.Split(text[..9000], 2000);
        var after = MessageSplitter.Split(text, 2000);

        Assert.Equal(before.Take(before.Count - 1), after.Take(before.Count - 1));
    }

    [Fact]
    public void Split_NeverCutsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 1500)); // no spaces or newlines to cut at

        var pieces = MessageSplitter.Split(text, 2000);

        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p[^1])));
        Assert.Equal(text, string.Concat(pieces));
    }

    private static int FenceLines(string text) =>
        text.Split('\n').Count(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
}
