using Microsoft.Extensions.Logging;

namespace Bot.Benchmarks;

/// <summary>Warnings and errors of a benchmark child on its stderr (the orchestrator passes stderr through).</summary>
internal sealed class StderrLoggerProvider(string prefix) : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
            Console.Error.WriteLine($"    [{prefix} {logLevel} {eventId.Id}] {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
    }

    public void Dispose()
    {
    }
}
