using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Tools;
using Bot.OpenAI;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.Responses;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Benchmarks;

/// <summary>Which client answers: the bot's streaming Responses backend, the 1 s polling baseline, or the bot's Assistants backend.</summary>
internal enum ClientMode
{
    /// <summary>The bot's Responses backend, plainly streamed (<c>OpenAI:Background</c> false).</summary>
    Streaming,
    Polling,

    /// <summary>The bot's Assistants backend: a thread per conversation, a message and a streamed run per turn.</summary>
    Assistants,

    /// <summary>The bot's Responses backend with background responses (<c>OpenAI:Background</c> true, the default).</summary>
    Background,

    /// <summary>As <see cref="Background"/>, with the fake cutting every stream after <c>--cut-every</c> events: each cut is resumed.</summary>
    BackgroundCut,
}

/// <summary>The bot as the host wires it, minus the host: core, SQLite in a temp folder, the chosen backend, a recording channel.</summary>
internal static class BotSetup
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Discord's limits: 2000 characters, one edit per message per interval, 8 MB uploads.</summary>
    public static ChannelLimits DiscordLike(TimeSpan editInterval) => new(2000, editInterval, 8 * 1024 * 1024);

    public static IAssistantBackend Backend(ClientMode mode, Uri fakeEndpoint, ConversationOptions conversations)
    {
        // The defaults of appsettings (tools on, retries with backoff), pointed at the fake.
        var options = new OpenAIOptions
        {
            ApiKey = FakeOpenAIServer.ApiKey,
            Endpoint = fakeEndpoint.ToString(),
            Background = mode is ClientMode.Background or ClientMode.BackgroundCut,
        };
        var clients = new OpenAIClients(options);
        var tools = new FunctionToolRegistry([], Options.Create(conversations), NullLogger<FunctionToolRegistry>.Instance);
        return mode switch
        {
            ClientMode.Streaming or ClientMode.Background or ClientMode.BackgroundCut => new ResponsesBackend(clients, options, tools, NullLogger<ResponsesBackend>.Instance),
            ClientMode.Assistants => AssistantsBackend(clients, options, tools),
            _ => new PollingBackend(clients, options, PollInterval),
        };
    }

    // The assistant is made up front and configured (OpenAI:AssistantId), as an operator may: the warm-up and the
    // measured core have stores of their own, and the backend then needs none.
    private static AssistantsBackend AssistantsBackend(OpenAIClients clients, OpenAIOptions options, FunctionToolRegistry tools)
    {
#pragma warning disable OPENAI001 // The Assistants client is experimental in OpenAI 2.15.
        options.AssistantId = clients.Assistants.CreateAssistant(options.Model, new global::OpenAI.Assistants.AssistantCreationOptions { Instructions = options.Instructions }).Value.Id;
#pragma warning restore OPENAI001
        return new AssistantsBackend(clients, options, tools,
            () => throw new InvalidOperationException("The benchmark configures the assistant id; the store is not needed."), NullLogger<AssistantsBackend>.Instance);
    }

    public static Task<CoreHarness> StartAsync(IAssistantBackend backend, RecordingChannel channel, ConversationOptions conversations) =>
        CoreHarness.StartAsync(backend, channel, conversations);

    /// <summary>
    /// Answers rounds of warm-up turns (16 conversations side by side, the long answer at 2 ms per token) until
    /// the JIT stops compiling new methods (at most <paramref name="maxRounds"/>), then runs <paramref name="then"/>
    /// (a load scenario's unmeasured bursts), so that tiered compilation is done before anything is measured, as in
    /// a bot that has been up for a while. The warm-up runs in a core of its own (own SQLite file and recording
    /// channel, <paramref name="slots"/> turn slots) on the same backend, so its HTTP connections are reused while
    /// its records do not stay in the measured process's memory, and a measured core with few turn slots (N = 1)
    /// does not have to answer the warm-up one turn at a time.
    /// </summary>
    public static async Task WarmUpAsync(IAssistantBackend backend, ChannelLimits limits, int slots = 16,
        Func<CoreHarness, Task>? then = null, int maxRounds = 8)
    {
        const int Conversations = 16;
        var channel = new RecordingChannel("warm", limits);
        await using (var warm = await CoreHarness.StartAsync(backend, channel, new ConversationOptions { MaxConcurrentTurns = Math.Max(slots, Conversations) }))
        {
            var compiled = -1L;
            var rounds = 0;
            while (rounds < maxRounds)
            {
                var round = rounds++;
                await Task.WhenAll(Enumerable.Range(0, Conversations).Select(i =>
                    warm.AskAsync(channel.Message($"warm-{i}", $"{Answers.WarmUpPrefix} {round}.{i}", $"warm-{round}-{i}"), TimeSpan.FromSeconds(60))));

                // Tier-1 recompilation happens on a background thread after a method has been called often enough.
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                if (now == compiled)
                    break;
                compiled = now;
            }

            if (then is not null)
                await then(warm);
            await SettleJitAsync();
            Console.Error.WriteLine($"    warm-up: {rounds} rounds, {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled");
        }

        CollectGarbage();
    }

    /// <summary>Waits (at most 5 s) until the JIT has compiled nothing for half a second: queued tier-1 recompilations are done.</summary>
    public static async Task SettleJitAsync()
    {
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var waited = 0; waited < 5000; waited += 500)
        {
            await Task.Delay(500);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == compiled)
                return;
            compiled = now;
        }
    }

    /// <summary>A full, compacting collection, so that a measured window starts from the live heap only.</summary>
    public static void CollectGarbage()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
