using Bot.Core.Backends;

namespace Bot.OpenAI.Responses;

/// <summary>
/// Per-place settings (<see cref="TurnRequest.Overrides"/>): each response of a turn asks for the place's model and
/// instructions and offers the tools switched on there; what the place leaves unset is as configured.
/// </summary>
public sealed partial class ResponsesBackend
{
    public IReadOnlyList<string> McpServerLabels => _mcpServers.Labels;

    public bool WebSearchEnabled => Options.Tools.WebSearch;

    public bool ImageGenerationEnabled => Options.Tools.ImageGeneration;

    /// <summary>A turn's settings, resolved once against the configuration for all of its requests.</summary>
    private RequestSettings TurnSettingsFor(TurnSettings settings) => new(
        ModelFor(settings, _logger),
        InstructionsFor(settings),
        CodeInterpreterFor(settings),
        FileSearchFor(settings),
        settings.WebSearch ?? Options.Tools.WebSearch,
        settings.ImageGeneration ?? Options.Tools.ImageGeneration,
        settings.DisabledMcpServers);

    /// <summary>What every request of one turn carries, with nothing left to look up.</summary>
    private readonly record struct RequestSettings(
        string Model,
        string Instructions,
        bool CodeInterpreter,
        bool FileSearch,
        bool WebSearch,
        bool ImageGeneration,
        IReadOnlySet<string>? DisabledMcpServers);
}
