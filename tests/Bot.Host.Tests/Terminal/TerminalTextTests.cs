using System.Text;
using Bot.Host.Terminal;

namespace Bot.Host.Tests.Terminal;

public sealed class TerminalTextTests
{
    private const string Hostile =
        "a\u001b[1;31mb\u001b[?25lc\u001b]0;title\u0007d\u001b]8;;https://x.test\u001b\\e\u001bPq#0\u001b\\f\u001b(Bg\u001b7h" +
        "\u009b2Ji\u009d0;t\u009cj\u0008k\u0000l\u007fm\r\nn\to\u001b]unterminated\np\u001b[12\u0001q\u001bXsos\u001b\\r";

    [Fact]
    public void Clean_DropsEscapeSequencesAndControls_KeepsTextNewlinesAndTabs()
    {
        Assert.Equal("abcdefghijklm\nn\to\npqr", TerminalText.Clean(Hostile));
    }

    [Fact]
    public void CleaningAGrowingText_InAnyPieces_PrintsWhatCleaningItWholePrints()
    {
        var whole = TerminalText.Clean(Hostile);
        for (var cut = 0; cut <= Hostile.Length; cut++)
        {
            var printed = new StringBuilder();
            var used = TerminalText.Append(Hostile.AsSpan(0, cut), printed, final: false);
            used += TerminalText.Append(Hostile.AsSpan(used), printed, final: true);

            Assert.Equal(Hostile.Length, used);
            Assert.Equal(whole, printed.ToString());
        }
    }

    [Theory]
    [InlineData("\u001b")]
    [InlineData("\u001b[")]
    [InlineData("\u001b[31")]
    [InlineData("\u001b]0;title")]
    [InlineData("\u001b]0;title\u001b")]
    [InlineData("\u001b(")]
    public void ASequenceCutOffAtTheEnd_IsHeldBack_ThenDroppedAtTheEnd(string tail)
    {
        var printed = new StringBuilder();

        Assert.Equal(2, TerminalText.Append("ok" + tail, printed, final: false));
        Assert.Equal("ok", printed.ToString());
        Assert.Equal("ok", TerminalText.Clean("ok" + tail));
    }

    [Theory]
    [InlineData(".", "file")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData("   ", "file")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Windows\\win.ini", "win.ini")]
    [InlineData("dir/", "file")]
    [InlineData("chart\u202Egnp.exe", "chartgnp.exe")]
    [InlineData("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("report.", "report")]
    [InlineData(".hidden", ".hidden")]
    [InlineData("re\u001b[31mport\u0007.csv", "report.csv")]
    public void FileNames_LoseEverythingUnsafe(string name, string expected)
    {
        Assert.Equal(expected, TerminalFileNames.Safe(name));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(12345)]
    public void LongFileNames_FitIn255BytesKeepingTheExtension_AlsoWithANumber(int number)
    {
        var name = TerminalFileNames.Numbered(TerminalFileNames.Safe(string.Concat(Enumerable.Repeat("日本", 100)) + ".xlsx"), number);

        Assert.InRange(Encoding.UTF8.GetByteCount(name), 240, 255);
        Assert.EndsWith((number > 1 ? $"-{number}" : "") + ".xlsx", name, StringComparison.Ordinal);
        Assert.StartsWith("日本", name, StringComparison.Ordinal);
    }

    [Fact]
    public void AnExtensionTooLongToBeOne_IsShortenedWithTheName()
    {
        var name = TerminalFileNames.Safe("a." + new string('x', 400));

        Assert.Equal(255, Encoding.UTF8.GetByteCount(name));
        Assert.StartsWith("a.xxx", name, StringComparison.Ordinal);
    }
}
