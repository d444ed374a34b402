using System.Text.Json;

namespace Bot.Host.Tests.Container;

/// <summary>The parts of the repository's Dockerfile that the container test runs: the publish step and the runtime stage.</summary>
internal sealed record Dockerfile(
    IReadOnlyList<string> PublishCommand,
    string RuntimeWorkDir,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> HealthCheck,
    string? User,
    IReadOnlyList<string> Volumes)
{
    public static Dockerfile Parse(string text)
    {
        var lines = Instructions(text).ToList();
        var stages = new List<List<(string Keyword, string Text)>>();
        foreach (var (keyword, rest) in lines)
        {
            if (keyword == "FROM")
                stages.Add([]);
            stages[^1].Add((keyword, rest));
        }

        Assert.True(stages.Count >= 2, "the Dockerfile is multi-stage");
        var publish = stages.SelectMany(s => s).Single(i => i.Keyword == "RUN" && i.Text.Contains("dotnet publish", StringComparison.Ordinal)).Text;
        var runtime = stages[^1];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, rest) in runtime.Where(i => i.Keyword == "ENV"))
        {
            foreach (var pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                Assert.True(equals > 0, $"ENV takes key=value pairs: {pair}");
                environment[pair[..equals]] = pair[(equals + 1)..].Trim('"');
            }
        }

        var healthCheck = runtime.Single(i => i.Keyword == "HEALTHCHECK").Text;
        var cmd = healthCheck.IndexOf("CMD ", StringComparison.Ordinal);
        Assert.True(cmd >= 0, "HEALTHCHECK runs a CMD");
        return new Dockerfile(
            [.. publish.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            runtime.Last(i => i.Keyword == "WORKDIR").Text,
            environment,
            JsonArray(runtime.Single(i => i.Keyword == "ENTRYPOINT").Text),
            JsonArray(healthCheck[(cmd + 4)..]),
            runtime.LastOrDefault(i => i.Keyword == "USER").Text,
            [.. runtime.Where(i => i.Keyword == "VOLUME").Select(i => i.Text)]);
    }

    // Instructions with their continuation lines joined; comments and blank lines dropped.
    private static IEnumerable<(string Keyword, string Text)> Instructions(string text)
    {
        var current = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            var space = current.IndexOf(' ', StringComparison.Ordinal);
            yield return (current[..space].ToUpperInvariant(), current[(space + 1)..].Trim());
            current = "";
        }
    }

    private static List<string> JsonArray(string exec) =>
        JsonSerializer.Deserialize<List<string>>(exec) ?? throw new InvalidOperationException($"not an exec-form array: {exec}");
}
