using System.Globalization;
using System.Text;

namespace Bot.Benchmarks;

/// <summary>A Markdown table whose columns are padded, so that it reads the same in a terminal and rendered.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params object?[] cells)
    {
        if (cells.Length != headers.Length)
            throw new ArgumentException($"A row needs {headers.Length} cells, not {cells.Length}.", nameof(cells));
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells, bool header)
        {
            text.Append('|');
            for (var i = 0; i < cells.Count; i++)
            {
                // Numbers right-aligned, words left-aligned.
                var numeric = !header && cells[i].Length > 0 && (char.IsDigit(cells[i][0]) || cells[i][0] == '-');
                text.Append(' ').Append(numeric ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append(" |");
            }

            text.Append('\n');
        }

        Line(headers, header: true);
        text.Append('|');
        foreach (var width in widths)
            text.Append(' ').Append(new string('-', width)).Append(" |");
        text.Append('\n');
        foreach (var row in _rows)
            Line(row, header: false);
        return text.ToString();
    }

    /// <summary>Numbers with sensible precision: integers as they are, others with up to 1–3 decimals.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d when double.IsNaN(d) => "–",
        double d => d.ToString(Math.Abs(d) >= 100 ? "0" : Math.Abs(d) >= 10 ? "0.0" : Math.Abs(d) >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
