using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Testing;

/// <summary>A logger that keeps what it was told, for tests that check what got logged.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId EventId, string Message)> Entries => [.. _entries];

    public int Count(int eventId) => _entries.Count(entry => entry.EventId.Id == eventId);

    /// <summary>Notified on every entry, so tests can await one.</summary>
    public StateChanges Changes { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((logLevel, eventId, formatter(state, exception)));
        Changes.Notify();
    }
}

/// <summary>
/// Hands one <see cref="ListLogger{T}"/> to every logger category that starts with <paramref name="categoryPrefix"/> (all
/// when empty), so that a test sees what a component wired by DI logged, whichever of its classes logged it.
/// </summary>
public sealed class ListLoggerProvider<T>(ListLogger<T> logger, string categoryPrefix = "") : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith(categoryPrefix, StringComparison.Ordinal) ? logger : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }
}
