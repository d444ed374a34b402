namespace Bot.Benchmarks;

/// <summary>Nearest-rank percentiles and the mean of a sample.</summary>
internal sealed record Distribution(int Count, double P50, double P99, double Max, double Mean)
{
    public static Distribution Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0
            ? Empty
            : new Distribution(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 99), sorted[^1], sorted.Average());
    }

    /// <summary>The smallest value with at least <paramref name="percent"/> % of the sample at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
