using System.Text.RegularExpressions;
using Bot.Core.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tools.Http;

/// <summary>
/// Checks the HTTP tools at start and names each problem by its key (<c>Tools:Http:0:Url: …</c>): names OpenAI
/// accepts and no other tool uses, endpoints the bot may call, known methods, usable schemas and headers.
/// </summary>
internal sealed partial class HttpToolsOptionsValidator(IConfiguration configuration, Func<IEnumerable<string>> otherToolNames)
    : IValidateOptions<HttpToolsOptions>
{
    private const int MaxResponseLimit = 16 * 1024 * 1024;

    /// <summary>The methods a tool may use; GET sends the arguments as a query string, the others as a JSON body.</summary>
    public static readonly IReadOnlySet<string> Methods = new HashSet<string>(["GET", "POST", "PUT", "PATCH", "DELETE"], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    public ValidateOptionsResult Validate(string? name, HttpToolsOptions options)
    {
        var errors = new List<string>();
        if (options.HttpMaxResponseBytes is < 1 or > MaxResponseLimit)
            errors.Add($"{HttpToolsOptions.SectionName}:HttpMaxResponseBytes: must be between 1 and {MaxResponseLimit} (16 MB).");

        var taken = new HashSet<string>(otherToolNames(), StringComparer.Ordinal);
        for (var i = 0; i < options.Http.Count; i++)
        {
            var tool = options.Http[i];
            var key = tool.Key ?? $"{HttpToolsOptions.SectionName}:Http:{i}";
            ValidateTool(tool, key, configuration.GetSection($"{key}:Parameters"), taken, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateTool(HttpToolOptions tool, string key, IConfigurationSection parameters, HashSet<string> taken, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(tool.Name))
            errors.Add($"{key}:Name: missing.");
        else if (!FunctionName().IsMatch(tool.Name))
            errors.Add($"{key}:Name: '{tool.Name}' is not a function name (1 to 64 letters, digits, _ or -).");
        else if (!taken.Add(tool.Name))
            errors.Add($"{key}:Name: another function tool is already named '{tool.Name}'.");

        if (string.IsNullOrWhiteSpace(tool.Description))
            errors.Add($"{key}:Description: missing; say what the tool does, the model reads it.");

        if (ConfiguredUrl.Problem(tool.Url) is { } urlProblem)
            errors.Add($"{key}:Url: {urlProblem}");

        if (!Methods.Contains(tool.Method ?? ""))
            errors.Add($"{key}:Method: '{tool.Method}' is not one of {string.Join(", ", Methods)}.");

        if (parameters.GetChildren().Any())
            errors.Add($"{key}:Parameters: give the JSON Schema as one JSON string, not as a configuration section.");
        else if (!string.IsNullOrWhiteSpace(tool.Parameters))
            errors.AddRange(ArgumentSchema.CheckDefinition(tool.Parameters).Select(p => $"{key}:Parameters: {p}."));

        errors.AddRange(HeaderValue.Problems(tool.Headers, key));

        if (tool.Timeout <= TimeSpan.Zero || tool.Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"{key}:Timeout: must be more than 0 and at most 10 minutes.");

        if (tool.MaxResponseBytes is < 1 or > MaxResponseLimit)
            errors.Add($"{key}:MaxResponseBytes: must be between 1 and {MaxResponseLimit} (16 MB).");
    }
}
