namespace Bot.Testing.OpenAI;

/// <summary>Answers the next matching requests of any endpoint with an HTTP error (FailNext), or holds them unanswered (StallNext).</summary>
internal sealed class FaultInjector
{
    private readonly Lock _sync = new();
    private readonly List<Rule> _rules = [];

    public void Add(string method, string pathPrefix, int status, int times, TimeSpan? retryAfter, string? message, bool stall = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(pathPrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_sync)
        {
            _rules.Add(new Rule(method.ToUpperInvariant(), Normalize(pathPrefix), status, retryAfter, message, stall) { Remaining = times });
        }
    }

    /// <summary>Takes one use of the first rule matching the request, if any.</summary>
    public bool TryTake(string method, string path, out (int Status, TimeSpan? RetryAfter, string? Message, bool Stall) fault)
    {
        fault = default;
        path = Normalize(path);
        lock (_sync)
        {
            if (_rules.Count == 0)
            {
                return false;
            }

            var rule = _rules.Find(r => r.Method == method && path.StartsWith(r.PathPrefix, StringComparison.Ordinal));
            if (rule is null)
            {
                return false;
            }

            if (--rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }

            fault = (rule.Status, rule.RetryAfter, rule.Message, rule.Stall);
            return true;
        }
    }

    // Accept "/v1/files", "/files" and "files" alike.
    private static string Normalize(string path)
    {
        path = path.StartsWith('/') ? path : "/" + path;
        return path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1" ? path[3..] : path;
    }

    private sealed record Rule(string Method, string PathPrefix, int Status, TimeSpan? RetryAfter, string? Message, bool Stall)
    {
        public int Remaining { get; set; }
    }
}
