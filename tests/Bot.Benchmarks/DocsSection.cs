namespace Bot.Benchmarks;

/// <summary>Puts one benchmark's section into docs/benchmarks.md, keeping everything else of the file.</summary>
internal static class DocsSection
{
    /// <summary>
    /// Replaces the section that starts with <paramref name="heading"/> (up to the next heading or the analysis), or adds
    /// it just above the hand-written analysis.
    /// </summary>
    public static async Task WriteAsync(string path, string heading, string section)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path) : Report.AnalysisMarker + "\n";
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        if (start >= 0)
        {
            var next = text.IndexOf("\n### ", start + heading.Length, StringComparison.Ordinal);
            var marker = text.IndexOf(Report.AnalysisMarker, start, StringComparison.Ordinal);
            var end = new[] { next < 0 ? int.MaxValue : next + 1, marker < 0 ? int.MaxValue : marker }.Min();
            text = text[..start] + section + "\n" + (end == int.MaxValue ? "" : text[end..]);
        }
        else
        {
            var marker = text.IndexOf(Report.AnalysisMarker, StringComparison.Ordinal);
            text = marker < 0 ? text + "\n" + section : text[..marker] + section + "\n" + text[marker..];
        }

        await File.WriteAllTextAsync(path, text);
    }
}
