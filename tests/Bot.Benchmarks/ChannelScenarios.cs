using System.Text.Json;

namespace Bot.Benchmarks;

/// <summary>
/// A channel scenario (Discord, Teams, …): the bot behind one channel adapter, driven through that platform's
/// loopback fake. It runs in a child process of its own (<c>scenario {Name}</c>) like the load scenarios, and
/// writes its own section (rows and targets) into the report.
/// </summary>
internal interface IChannelScenario
{
    /// <summary>The child's verb and the name on <c>--channels</c>, e.g. <c>discord</c>.</summary>
    string Name { get; }

    /// <summary>The child's side: runs the scenario and returns a result that serializes to JSON.</summary>
    Task<object> RunAsync(BenchmarkOptions options);

    /// <summary>The report's Markdown section for the result the child printed (heading, how it was run, tables, targets).</summary>
    string Section(JsonElement result);
}

/// <summary>Every channel scenario the orchestrator runs (all of them unless <c>--channels</c> names some).</summary>
internal static class ChannelScenarios
{
    public static IReadOnlyList<IChannelScenario> All { get; } =
    [
        // Discord scenario (issue 3) goes here.
        new Discord.DiscordScenario(),

        // Teams scenario (issue 4) goes here.
        new Teams.TeamsScenario(),
    ];

    public static IChannelScenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
