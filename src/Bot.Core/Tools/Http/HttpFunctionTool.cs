using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tools.Http;

/// <summary>
/// A function tool that calls one configured URL: the arguments are checked against the tool's schema first, then sent
/// as the query string (GET) or a JSON body; the response body, cut at a size limit, is the output. Redirects are not
/// followed, so the call never leaves the configured host. Failures, timeouts and error statuses are outputs too.
/// </summary>
internal sealed class HttpFunctionTool : IFunctionTool
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Lazy<HttpToolDefinition> _definition;
    private readonly HttpClient _client;
    private readonly ILogger _logger;

    // The definition is read on first use: the options are validated at start, and constructing the tool must not
    // read them (the validator enumerates the function tools to find name clashes).
    public HttpFunctionTool(int index, IOptions<HttpToolsOptions> options, HttpToolClient client, ILogger<HttpFunctionTool> logger)
    {
        _definition = new Lazy<HttpToolDefinition>(() => HttpToolDefinition.From(options.Value, index));
        _client = client.Client;
        _logger = logger;
    }

    public string Name => Definition.Name;

    public string Description => Definition.Description;

    public string ParametersJsonSchema => Definition.ParametersJsonSchema;

    private HttpToolDefinition Definition => _definition.Value;

    public async Task<string> InvokeAsync(string argumentsJson, CancellationToken cancellationToken = default)
    {
        var tool = Definition;
        JsonElement arguments;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
            arguments = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error($"The arguments for '{tool.Name}' are not valid JSON, so no request was made.");
        }

        var problems = ArgumentSchema.Validate(tool.Schema, arguments);
        if (problems.Count > 0)
        {
            Log.HttpToolArgumentsRejected(_logger, tool.Name, problems.Count);
            return Error($"The arguments do not fit the schema of '{tool.Name}', so no request was made: {string.Join("; ", problems)}.");
        }

        using var request = HttpToolRequest.Create(tool, arguments);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(tool.Timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && !CappedBody.IsText(response.Content))
            {
                Log.HttpToolCalled(_logger, tool.Name, tool.Method.Method, tool.Url.Host, (int)response.StatusCode);
                return $"The request succeeded (HTTP {(int)response.StatusCode}), but the response is "
                    + $"{response.Content.Headers.ContentType?.MediaType}, not text, so it is not shown.";
            }

            var body = await CappedBody.ReadAsync(response.Content, tool.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
            return Output(tool, response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.HttpToolTimedOut(_logger, tool.Name, tool.Url.Host, tool.Timeout);
            return Error($"'{tool.Name}' did not answer within {tool.Timeout.TotalSeconds:0.#} seconds; no result.");
        }
        catch (HttpRequestException ex)
        {
            Log.HttpToolUnreachable(_logger, tool.Name, tool.Url.Host, ex);
            return Error($"'{tool.Name}' could not reach its service: {ex.Message}");
        }
        catch (IOException ex)
        {
            // The connection broke while the body was read.
            Log.HttpToolUnreachable(_logger, tool.Name, tool.Url.Host, ex);
            return Error($"'{tool.Name}' lost the connection while reading the answer: {ex.Message}");
        }
    }

    private string Output(HttpToolDefinition tool, HttpResponseMessage response, CappedBody body)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            Log.HttpToolCalled(_logger, tool.Name, tool.Method.Method, tool.Url.Host, status);
            if (body.Text.Length == 0)
                return $"The request succeeded (HTTP {status}) with an empty response.";
            return body.Cut ? $"{body.Text}\n\n[The response was cut: only its first {body.Limit} bytes are shown.]" : body.Text;
        }

        Log.HttpToolFailed(_logger, tool.Name, tool.Method.Method, tool.Url.Host, status);
        var message = status is >= 300 and < 400
            ? $"'{tool.Name}' answered HTTP {status} ({Reason(response)}), a redirect; redirects are not followed."
            : $"'{tool.Name}' answered HTTP {status} ({Reason(response)}).";
        return JsonSerializer.Serialize(new HttpToolError(message, status, body.Text, body.Cut ? true : null), s_json);
    }

    private static string Reason(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;

    private static string Error(string message) => JsonSerializer.Serialize(new HttpToolError(message), s_json);

    // The error shape the registry uses ({"error": …}), with the status and body when the service answered.
    private sealed record HttpToolError(string Error, int? Status = null, string? Body = null, bool? Truncated = null);
}
