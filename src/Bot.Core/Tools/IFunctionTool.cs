namespace Bot.Core.Tools;

/// <summary>
/// A function the assistant may call during a turn. Register implementations in DI; the backends
/// offer every registered tool to the model and send back what <see cref="InvokeAsync"/> returns.
/// </summary>
public interface IFunctionTool
{
    /// <summary>The function name the model uses (letters, digits, underscores, dashes).</summary>
    string Name { get; }

    /// <summary>What the function does, for the model.</summary>
    string Description { get; }

    /// <summary>The JSON schema of the arguments object.</summary>
    string ParametersJsonSchema { get; }

    /// <summary>
    /// True when running the function twice with the same arguments does no harm (a lookup, a read): a turn that died
    /// while it ran may call it again when it is finished after a restart. False (the default) = it is never re-run.
    /// </summary>
    bool Idempotent => false;

    /// <summary>Runs the function with the model's JSON arguments and returns its output (usually JSON).</summary>
    Task<string> InvokeAsync(string argumentsJson, CancellationToken cancellationToken = default);
}
