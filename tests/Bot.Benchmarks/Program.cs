using Bot.Benchmarks;

// The benchmark runs as three kinds of process (see docs/benchmarks.md):
//   (no verb)                 the orchestrator: runs each scenario in a child, prints the tables, writes the report;
//   scenario load|length ...  one measured scenario, the bot alone in its process; prints "RESULT {json}";
//   fake --port 0 ...         the OpenAI fake, started by each scenario process;
//   budget [--write path]     only the budget check's cost per turn (BudgetBench), in this process;
//   store [--write path]      only the stores: accepted messages/s and mapping lookups, SQLite and PostgreSQL (StoreBench);
//   telemetry [--n 200,1000]  the streaming load with metrics and tracing off, then on (TelemetryBench);
//   cluster [--write path]    one, two, and two instances with one killed, on one PostgreSQL (ClusterBench);
//   cluster-node ...          one instance of the cluster run, started by ClusterBench;
//   resume [--n 200] [--cut-every 30]  plain vs background streaming, and background with every stream cut (ResumeBench).
try
{
    return args switch
    {
        ["fake", .. var rest] => await FakeProcess.ServeAsync(rest),
        ["scenario", .. var rest] => await ScenarioChild.RunAsync(rest),
        ["budget", .. var rest] => await BudgetBench.RunAsync(rest),
        ["store", .. var rest] => await StoreBench.RunAsync(rest),
        ["cluster", .. var rest] => await ClusterBench.RunAsync(rest),
        ["cluster-node", .. var rest] => await ClusterNode.RunAsync(rest),
        ["telemetry", .. var rest] => await TelemetryBench.RunAsync(BenchmarkOptions.Parse(rest)),
        ["resume", .. var rest] => await ResumeBench.RunAsync(BenchmarkOptions.Parse(rest)),
        _ => await Orchestrator.RunAsync(BenchmarkOptions.Parse(args)),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
