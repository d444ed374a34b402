using System.ClientModel.Primitives;
using System.Text.Json;
using Bot.Core.Backends;
using Bot.Core.Tools;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// Per-place settings on the Assistants API: a run may replace the assistant's <c>model</c>, <c>instructions</c> and
/// <c>tools</c> (CreateRunRequest), and is sent each one only where the place's value differs from the assistant's, which
/// is made from the configuration. Web search, image generation and MCP servers do not exist here: the backend reports
/// them off, and switches for them are ignored.
/// </summary>
public sealed partial class AssistantsBackend
{
    public IReadOnlyList<string> McpServerLabels => [];

    public bool WebSearchEnabled => false;

    public bool ImageGenerationEnabled => false;

    /// <summary>A run's differences from the assistant; null members are the assistant's own.</summary>
    private RunOverrides OverridesFor(TurnSettings settings)
    {
        var model = ModelFor(settings, _logger);
        var instructions = InstructionsFor(settings);
        var codeInterpreter = CodeInterpreterFor(settings);
        var fileSearch = FileSearchFor(settings);
        return new RunOverrides(
            string.Equals(model, Options.Model, StringComparison.Ordinal) ? null : model,
            string.Equals(instructions, Options.Instructions, StringComparison.Ordinal) ? null : instructions,
            codeInterpreter == Options.Tools.CodeInterpreter && fileSearch == Options.Tools.FileSearch ? null : (codeInterpreter, fileSearch));
    }

    /// <summary>
    /// Writes the overrides into a run's body. The tools replace the assistant's whole list, so the function tools go
    /// with the built-in ones that stay on.
    /// </summary>
    private static void WriteOverrides(Utf8JsonWriter writer, RunOverrides overrides, FunctionToolRegistry tools)
    {
        if (overrides.Model is { } model)
            writer.WriteString("model", model);
        if (overrides.Instructions is { } instructions)
            writer.WriteString("instructions", instructions);
        if (overrides.Tools is not var (codeInterpreter, fileSearch))
            return;

        // The SDK writes each definition as the assistant got it: {"type":"code_interpreter"}, {"type":"function","function":{…}}.
        writer.WriteStartArray("tools");
        foreach (var tool in AssistantProvisioner.ToolDefinitions(codeInterpreter, fileSearch, tools))
            writer.WriteRawValue(ModelReaderWriter.Write(tool).ToMemory().Span);
        writer.WriteEndArray();
    }

    /// <summary>What a run changes of the assistant: a model, instructions, the built-in tools on or off (null: unchanged).</summary>
    private sealed record RunOverrides(string? Model, string? Instructions, (bool CodeInterpreter, bool FileSearch)? Tools);
}
