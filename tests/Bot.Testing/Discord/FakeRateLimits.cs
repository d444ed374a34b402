using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Bot.Testing.Discord;

/// <summary>A bucket rule of the fake: how many requests a route allows per window, per major parameter.</summary>
public sealed record BucketRule(int Limit, TimeSpan Window, string Hash);

/// <summary>The state of one bucket as a response reports it.</summary>
public readonly record struct BucketState(bool Allowed, int Limit, int Remaining, TimeSpan ResetAfter, string Hash);

/// <summary>
/// Discord-like rate limits: per (route, major parameter) buckets whose window starts with their first request,
/// and the global limit of 50 requests per second per bot (interaction callbacks and webhooks exempt).
/// </summary>
public sealed partial class FakeRateLimits
{
    private readonly Dictionary<string, (long Start, int Used)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _globalStart;
    private int _globalUsed;

    /// <summary>Rules by "METHOD template" (ids replaced by :id); unknown routes get <see cref="DefaultRule"/>.</summary>
    public Dictionary<string, BucketRule> Rules { get; } = new(StringComparer.Ordinal)
    {
        ["POST /channels/:id/messages"] = new(5, TimeSpan.FromSeconds(5), "msgcreate"),
        ["PATCH /channels/:id/messages/:id"] = new(5, TimeSpan.FromSeconds(1), "msgedit"),
        ["POST /channels/:id/typing"] = new(5, TimeSpan.FromSeconds(5), "typing"),
        ["PUT /applications/:id/commands"] = new(5, TimeSpan.FromSeconds(20), "commands"),
        ["GET /gateway/bot"] = new(10, TimeSpan.FromSeconds(5), "gatewaybot"),
        ["PATCH /webhooks/:id/:token/messages/@original"] = new(5, TimeSpan.FromSeconds(2), "webhook"),
        ["POST /webhooks/:id/:token"] = new(5, TimeSpan.FromSeconds(2), "webhook"),
    };

    public BucketRule DefaultRule { get; set; } = new(10, TimeSpan.FromSeconds(1), "other");

    /// <summary>Requests per second for the whole bot (default 50).</summary>
    public int GlobalLimit { get; set; } = 50;

    /// <summary>False turns every limit off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>"METHOD template" and major parameter of a path below /api/v10.</summary>
    public static (string Route, string Major) Classify(string method, string path)
    {
        var major = MajorPattern().Match(path) is { Success: true } m ? m.Value : "";
        var template = IdPattern().Replace(path, ":id");
        template = TokenPattern().Replace(template, "$1:token");
        return ($"{method} {template}", major);
    }

    /// <summary>Counts a request against its bucket (and the global limit) and says whether it may pass.</summary>
    public (BucketState Bucket, bool GlobalExceeded) Take(string method, string path)
    {
        var (route, major) = Classify(method, path);
        var rule = Rules.GetValueOrDefault(route, DefaultRule);
        var exempt = path.StartsWith("/interactions/", StringComparison.Ordinal) || path.StartsWith("/webhooks/", StringComparison.Ordinal);
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!Enabled)
                return (new BucketState(true, rule.Limit, rule.Limit, rule.Window, rule.Hash), false);
            if (!exempt)
            {
                if (Stopwatch.GetElapsedTime(_globalStart, now) >= TimeSpan.FromSeconds(1))
                    (_globalStart, _globalUsed) = (now, 0);
                if (_globalUsed >= GlobalLimit)
                    return (new BucketState(false, rule.Limit, 0, TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(_globalStart, now), rule.Hash), true);
            }

            var key = rule.Hash + "|" + major;
            var window = _windows.GetValueOrDefault(key);
            if (window.Used == 0 || Stopwatch.GetElapsedTime(window.Start, now) >= rule.Window)
                window = (now, 0);
            var resetAfter = rule.Window - Stopwatch.GetElapsedTime(window.Start, now);
            if (window.Used >= rule.Limit)
                return (new BucketState(false, rule.Limit, 0, resetAfter, rule.Hash), false);
            window.Used++;
            _windows[key] = window;
            if (!exempt)
                _globalUsed++;
            return (new BucketState(true, rule.Limit, rule.Limit - window.Used, resetAfter, rule.Hash), false);
        }
    }

    [GeneratedRegex(@"^/(channels|guilds)/\d+|^/webhooks/\d+/[^/]+", RegexOptions.CultureInvariant)]
    private static partial Regex MajorPattern();

    [GeneratedRegex(@"(?<=/)\d{5,20}(?=/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"(/(?:webhooks|interactions)/:id/)[^/]+", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();
}
