using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Bot.Core.Telemetry;

/// <summary>
/// The core's meter and activity source and the instruments on them. Labels carry channel names, outcome enums,
/// model names and scopes only: never an id, a text or a secret. Nothing is measured until a listener (the host's
/// OpenTelemetry providers, when configured) subscribes.
/// </summary>
public static class CoreTelemetry
{
    /// <summary>The name of the core's meter and activity source.</summary>
    public const string Name = "Bot.Core";

    /// <summary>The prefix every project's meter and activity source starts with.</summary>
    public const string Prefix = "Bot.";

    internal static readonly Meter Meter = new(Name);

    internal static readonly ActivitySource Source = new(Name);

    private static readonly double[] s_seconds = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30, 60, 120];

    private static readonly long[] s_tokens = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

    internal static readonly Counter<long> Turns = Meter.CreateCounter<long>(
        "bot.turns", "{turn}", "Turns that ended, by channel and outcome.");

    internal static readonly Histogram<double> TimeToFirstText = Meter.CreateHistogram(
        "bot.turn.time_to_first_text", "s", "From the message accepted to the first answer text visible in the channel.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_seconds });

    internal static readonly Histogram<double> QueueWait = Meter.CreateHistogram(
        "bot.turn.queue_wait", "s", "From the message accepted to its turn starting.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_seconds });

    internal static readonly Histogram<double> TimeToFirstToken = Meter.CreateHistogram(
        "bot.backend.time_to_first_token", "s", "From the backend call to the first text token.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_seconds });

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "gen_ai.client.operation.duration", "s", "Duration of the backend's answer stream.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_seconds });

    internal static readonly Histogram<long> TokenUsage = Meter.CreateHistogram(
        "gen_ai.client.token.usage", "{token}", "Tokens per turn, by type (input, output) and model.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = s_tokens });

    internal static readonly Counter<long> ReplyWrites = Meter.CreateCounter<long>(
        "bot.reply.writes", "{write}", "Reply messages posted and edited, by channel and operation.");

    internal static readonly UpDownCounter<long> RunningTurns = Meter.CreateUpDownCounter<long>(
        "bot.turns.running", "{turn}", "Turns running now.");

    internal static readonly UpDownCounter<long> WaitingMessages = Meter.CreateUpDownCounter<long>(
        "bot.messages.waiting", "{message}", "Accepted messages whose turn has not started.");

    internal static readonly Counter<long> BudgetRefusals = Meter.CreateCounter<long>(
        "bot.budget.refusals", "{turn}", "Turns refused by a token budget or the message rate, by channel.");

    internal static readonly Counter<long> ModerationRefusals = Meter.CreateCounter<long>(
        "bot.moderation.refusals", "{turn}", "Turns refused by moderation, by channel and outcome (Flagged, NotChecked).");

    internal static readonly Counter<long> RemoteObjectsCreated = Meter.CreateCounter<long>(
        "bot.remote_objects.created", "{object}", "Remote objects the bot created, by kind.");

    internal static readonly Counter<long> RemoteObjectsDeleted = Meter.CreateCounter<long>(
        "bot.remote_objects.deleted", "{object}", "Remote objects the bot deleted, by kind.");

    internal static readonly Counter<long> LeaseTakeovers = Meter.CreateCounter<long>(
        "bot.lease.takeovers", "{conversation}", "Conversations whose turn another instance left unfinished and this one took over, by channel.");

    private static readonly Counter<long> s_rateLimited = Meter.CreateCounter<long>(
        "bot.platform.rate_limited", "{response}", "429 responses from a platform, by channel and scope.");

    private static readonly Counter<long> s_retries = Meter.CreateCounter<long>(
        "bot.retries", "{retry}", "Requests sent again after a failure, by component and reason.");

    internal static void RemoteObjectCreated(Backends.RemoteObjectKind kind) =>
        RemoteObjectsCreated.Add(1, new KeyValuePair<string, object?>("bot.remote_object.kind", kind.ToString()));

    internal static void RemoteObjectDeleted(Backends.RemoteObjectKind kind) =>
        RemoteObjectsDeleted.Add(1, new KeyValuePair<string, object?>("bot.remote_object.kind", kind.ToString()));

    /// <summary>A platform answered 429. <paramref name="scope"/> is the platform's scope word (user, global, shared), never a route with ids.</summary>
    public static void RateLimited(string channel, string scope) =>
        s_rateLimited.Add(1, new("bot.channel", channel), new("bot.rate_limit.scope", scope));

    /// <summary>A request is sent again. <paramref name="reason"/> is a status code or a word, never a URL.</summary>
    public static void Retried(string component, string reason) =>
        s_retries.Add(1, new("bot.component", component), new("bot.retry.reason", reason));
}
