namespace Bot.Core.Infrastructure;

/// <summary>
/// Process-wide runtime settings a bot process makes before it opens its first socket. Measured in docs/benchmarks.md:
/// with a thousand answers streaming at once, nearly all of the bot's work is one small socket read per event, and on
/// a virtual machine every hand-over of that read from the socket's event thread to a thread-pool thread (and every
/// spin of an idle thread-pool thread) costs a context switch the hypervisor makes expensive.
/// </summary>
public static class RuntimeTuning
{
    /// <summary>The runtime's switch for running socket completions on the event thread.</summary>
    public const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Runs socket completions on the runtime's socket event threads (one per core) instead of queueing each to the
    /// thread pool, unless the environment already says otherwise. Safe for this bot because nothing it runs after a
    /// read blocks on another socket (no sync-over-async); a continuation's synchronous work (parsing an event, a
    /// SQLite write at the end of a turn) runs on the event thread until the next await. Only effective before the
    /// process's first socket operation, so hosts call it first thing.
    /// </summary>
    public static void PreferInlineSocketCompletions()
    {
        if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
    }
}
