namespace Bot.Core.Storage;

/// <summary>
/// Anonymous visitors (of the web chat) and their threads: each visitor's current thread, and each thread's owner, so
/// that a restart changes nothing and one visitor never reaches another's thread. A visitor is known by an opaque id the
/// channel chooses (a hash, never what the visitor holds); a thread by its chat conversation id. Safe to call concurrently.
/// </summary>
public interface IVisitorSessions
{
    /// <summary>The thread a visitor was last given, or null when none was recorded (the visitor is on their first).</summary>
    Task<string?> FindCurrentThreadAsync(string visitorId, CancellationToken cancellationToken = default);

    /// <summary>Makes a thread the visitor's current one, replacing the previous.</summary>
    Task SetCurrentThreadAsync(string visitorId, string threadId, CancellationToken cancellationToken = default);

    /// <summary>Who owns a thread: null when it was never claimed, a released ownership when it was given up.</summary>
    Task<ThreadOwnership?> FindThreadOwnerAsync(string threadId, CancellationToken cancellationToken = default);

    /// <summary>Records that the thread is the visitor's (it replaces whatever was recorded for the thread).</summary>
    Task ClaimThreadAsync(string threadId, string visitorId, CancellationToken cancellationToken = default);

    /// <summary>Gives a thread up: it is no one's from now on, recorded as released rather than forgotten.</summary>
    Task ReleaseThreadAsync(string threadId, CancellationToken cancellationToken = default);
}
