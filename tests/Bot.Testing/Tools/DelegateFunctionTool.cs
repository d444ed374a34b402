using Bot.Core.Tools;

namespace Bot.Testing.Tools;

/// <summary>A function tool whose behaviour a test supplies, counting its calls.</summary>
public sealed class DelegateFunctionTool(string name, Func<string, CancellationToken, Task<string>> invoke, string? schema = null, bool idempotent = false)
    : IFunctionTool
{
    private int _calls;

    public string Name => name;

    public string Description => $"Test function {name}";

    public string ParametersJsonSchema { get; } = schema ?? """{"type":"object","properties":{"location":{"type":"string"}}}""";

    public bool Idempotent => idempotent;

    public int Calls => Volatile.Read(ref _calls);

    public Task<string> InvokeAsync(string argumentsJson, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return invoke(argumentsJson, cancellationToken);
    }
}
