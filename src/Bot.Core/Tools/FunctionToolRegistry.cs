using System.Text.Encodings.Web;
using System.Text.Json;
using Bot.Core.Conversations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tools;

/// <summary>
/// The function tools offered to the assistant, and their invocation: a tool that throws, times out or
/// does not exist yields an error text as its output, so the assistant can carry on with the turn.
/// </summary>
public sealed class FunctionToolRegistry
{
    private readonly Dictionary<string, IFunctionTool> _tools;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger<FunctionToolRegistry> _logger;

    /// <param name="tools">The tools to offer; their names must be unique.</param>
    /// <param name="options">Where the tool timeout comes from.</param>
    /// <param name="logger">Where failures and timeouts are logged.</param>
    /// <param name="time">The clock of the tool timeout (the system clock unless a test moves its own).</param>
    public FunctionToolRegistry(IEnumerable<IFunctionTool> tools, IOptions<ConversationOptions> options, ILogger<FunctionToolRegistry> logger,
        TimeProvider? time = null)
    {
        _tools = new Dictionary<string, IFunctionTool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!_tools.TryAdd(tool.Name, tool))
                throw new InvalidOperationException($"Two function tools are named '{tool.Name}'. Give each registered IFunctionTool a unique Name.");
        }

        _timeout = options.Value.ToolTimeout;
        _time = time ?? TimeProvider.System;
        _logger = logger;
    }

    /// <summary>The registered tools.</summary>
    public IReadOnlyCollection<IFunctionTool> Tools => _tools.Values;

    /// <summary>Invokes a tool by name. Only the turn's cancellation propagates; every other failure becomes the output.</summary>
    public async Task<string> InvokeAsync(string name, string argumentsJson, CancellationToken cancellationToken = default)
    {
        if (!_tools.TryGetValue(name, out var tool))
            return Error($"There is no function named '{name}'.");

        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await tool.InvokeAsync(argumentsJson, timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            Log.ToolTimedOut(_logger, name, _timeout);
            return Error($"The function '{name}' did not finish within {_timeout.TotalSeconds:0} seconds.");
        }
        catch (Exception ex)
        {
            Log.ToolFailed(_logger, name, ex);
            return Error($"The function '{name}' failed: {ex.Message}");
        }
    }

    // Relaxed escaping keeps quotes and apostrophes readable for the model.
    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Error(string message) => JsonSerializer.Serialize(new { error = message }, s_json);
}
