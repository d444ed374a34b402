using Bot.Core.Backends;
using Microsoft.Extensions.Logging;

namespace Bot.OpenAI;

/// <summary>
/// What a place may change (<see cref="TurnSettings"/>): the model among <c>OpenAI:AllowedModels</c>, and which configured
/// tools are offered. The switches of a turn fall back to the configuration one by one.
/// </summary>
public abstract partial class OpenAIBackendBase
{
    private IReadOnlyList<string>? _allowedModels;

    /// <summary>The configured model first, then the other models of <c>OpenAI:AllowedModels</c>.</summary>
    public IReadOnlyList<string> AllowedModels => _allowedModels ??= Options.ModelChoices();

    /// <summary>
    /// The model a turn asks for: the place's when it is allowed, the configured one otherwise. A model that is not
    /// allowed should never get here (commands check it); it is logged and never sent.
    /// </summary>
    private protected string ModelFor(TurnSettings settings, ILogger logger)
    {
        if (settings.Model is not { } requested || string.Equals(requested, Options.Model, StringComparison.Ordinal))
            return Options.Model;
        var allowed = AllowedModels;
        for (var i = 0; i < allowed.Count; i++)
        {
            if (string.Equals(allowed[i], requested, StringComparison.Ordinal))
                return allowed[i];
        }

        Log.ModelNotAllowed(logger, requested.Length > 64 ? requested[..64] + "…" : requested, Options.Model);
        return Options.Model;
    }

    /// <summary>The instructions of a turn: the place's in place of the configured ones.</summary>
    private protected string InstructionsFor(TurnSettings settings) => settings.Instructions ?? Options.Instructions;

    /// <summary>Whether the code interpreter is offered in a turn.</summary>
    private protected bool CodeInterpreterFor(TurnSettings settings) => settings.CodeInterpreter ?? Options.Tools.CodeInterpreter;

    /// <summary>Whether file search is offered in a turn (when the conversation has documents to search).</summary>
    private protected bool FileSearchFor(TurnSettings settings) => settings.FileSearch ?? Options.Tools.FileSearch;
}
