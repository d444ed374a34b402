using System.Globalization;
using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Storage.Postgres;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks;

/// <summary>
/// One bot instance of the cluster load (<see cref="ClusterBench"/>) in a process of its own, so that it can be killed:
/// the core with its lanes, leases and heartbeat on the shared PostgreSQL database, the Responses backend (background
/// responses, the default) against the OpenAI fake, a Discord-like recording channel. It prints <c>ready</c> and then obeys lines on stdin:
/// <c>accept {conversation} {message}</c> stores one message and answers <c>accepted {message}</c>;
/// <c>report</c> lists every finished reply (<c>final\t{reply address}\t{first post, UTC ticks}\t{answer|notice|wrong}</c>,
/// then <c>end</c>); <c>quit</c> (or the end of stdin) stops it cleanly, handing its leases back.
/// </summary>
internal static class ClusterNode
{
    public const string Author = Answers.LoadPrefix;

    /// <summary>The text of message <paramref name="messageId"/>: starts with the prefix the fake answers slowly.</summary>
    public static string Question(string messageId) => $"{Answers.LoadPrefix} cluster [{messageId}]";

    /// <summary><c>cluster-node --id A --pg {connection string} --openai {fake /v1/ url} --lease-timeout-ms 15000 --tokens 30</c></summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        RuntimeTuning.PreferInlineSocketCompletions();
        string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
            ?? throw new ArgumentException($"cluster-node needs {name}.");
        var instanceId = Arg("--id");
        var leaseTimeout = TimeSpan.FromMilliseconds(int.Parse(Arg("--lease-timeout-ms"), CultureInfo.InvariantCulture));
        var expected = Answers.Long(int.Parse(Arg("--tokens"), CultureInfo.InvariantCulture));

        // One turn slot per conversation, as in the single-process rows at N = 1000.
        var conversations = new ConversationOptions { MaxConcurrentTurns = 1000 };
        // Background responses, as the host's default: a turn of a killed instance is finished by the one that takes it over.
        var backend = BotSetup.Backend(ClientMode.Background, new Uri(Arg("--openai")), conversations);
        var channel = new RecordingChannel("bench", BotSetup.DiscordLike(TimeSpan.FromSeconds(1)));
        await BotSetup.WarmUpAsync(backend, channel.Limits, maxRounds: 4);

        await using var store = new PostgresConversationStore(Options.Create(new PostgresStoreOptions { ConnectionString = Arg("--pg") }),
            NullLogger<PostgresConversationStore>.Instance, TimeProvider.System);
        using var logging = args.Contains("--log") ? LoggerFactory.Create(b => b.AddProvider(new StderrLoggerProvider(instanceId))) : null;
        await using var instance = await ClusterInstance.StartAsync(store, instanceId, backend, channel, leaseTimeout, logging, conversations,
            pollInterval: TimeSpan.FromSeconds(1));
        Console.WriteLine("ready");

        // stdin is read on a thread of its own: Console.In blocks, and with inline socket completions (as the host runs)
        // a blocked continuation would hold up every socket of the process.
        var accepts = new List<Task>();
        var commands = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } command && command != "quit")
            {
                var fields = command.Split(' ');
                if (fields is ["accept", var conversation, var message])
                {
                    lock (accepts)
                        accepts.Add(Task.Run(() => AcceptAsync(instance.Service, channel, conversation, message)));
                }
                else if (fields is ["report"])
                {
                    Report(channel, expected);
                }
            }
        }) { IsBackground = true, Name = "cluster-node commands" };
        commands.Start();
        await Task.Run(commands.Join);
        Task[] pending;
        lock (accepts)
            pending = [.. accepts];
        await Task.WhenAll(pending);
        return 0;
    }

    private static async Task AcceptAsync(ConversationService service, RecordingChannel channel, string conversation, string messageId)
    {
        try
        {
            // A duplicate (the message was stored before, by this or the other instance) counts as accepted too.
            await service.AcceptAsync(channel.Message(conversation, Question(messageId), messageId, Author));
            Console.WriteLine($"accepted {messageId}");
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"    accept of {messageId} failed: {ex.GetType().Name}: {ex.Message} {ex.InnerException?.Message}");
            Console.WriteLine($"refused {messageId}");
        }
    }

    private static void Report(RecordingChannel channel, string expected)
    {
        foreach (var reply in channel.Replies.Where(r => r.Final is not null && r.ReplyAddress.Contains('/', StringComparison.Ordinal)))
        {
            if (reply.Writes.FirstOrDefault(w => w.Kind == WriteKind.Post) is not { } first)
                continue;
            // A conversation told that its turn was interrupted gets one sentence with a warning sign, not an answer.
            var kind = reply.Text == expected ? "answer" : reply.Text.StartsWith("⚠", StringComparison.Ordinal) ? "notice" : "wrong";
            Console.WriteLine($"final\t{reply.ReplyAddress}\t{first.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}\t{kind}");
        }

        Console.WriteLine("end");
    }
}
