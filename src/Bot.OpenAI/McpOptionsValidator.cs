using System.Text.RegularExpressions;
using Bot.Core.Net;
using Bot.Core.Tools.Http;
using Bot.OpenAI.Responses;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI;

/// <summary>
/// Checks the MCP servers at start and names each problem by its key (<c>OpenAI:Mcp:Servers:0:Url: …</c>). A header
/// problem names the environment variable, never a value.
/// </summary>
internal sealed partial class McpOptionsValidator : IValidateOptions<OpenAIOptions>
{
    private const string Key = OpenAIOptions.SectionName + ":Mcp";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex ToolNamePattern();

    public ValidateOptionsResult Validate(string? name, OpenAIOptions options)
    {
        var errors = new List<string>();
        var mcp = options.Mcp;
        if (mcp.ApprovalTimeout < TimeSpan.FromSeconds(1) || mcp.ApprovalTimeout > TimeSpan.FromDays(1))
            errors.Add($"{Key}:ApprovalTimeout: must be between 1 second and 1 day.");

        var labels = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < mcp.Servers.Count; i++)
            ValidateServer(mcp.Servers[i], $"{Key}:Servers:{i}", labels, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateServer(McpServerOptions server, string key, HashSet<string> labels, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(server.Label))
            errors.Add($"{key}:Label: missing; the model and the chat know the server by it.");
        else if (!LabelPattern().IsMatch(server.Label))
            errors.Add($"{key}:Label: '{server.Label}' must start with a letter and have only letters, digits, _ or - (at most 64).");
        else if (!labels.Add(server.Label))
            errors.Add($"{key}:Label: another server is already labelled '{server.Label}'.");

        if (ConfiguredUrl.Problem(server.Url) is { } urlProblem)
            errors.Add($"{key}:Url: {urlProblem}");

        errors.AddRange(HeaderValue.Problems(server.Headers, key));

        foreach (var tool in server.AllowedTools)
        {
            if (!ToolNamePattern().IsMatch(tool ?? ""))
                errors.Add($"{key}:AllowedTools: '{tool}' is not a tool name.");
        }

        if (!McpServers.TryParseApproval(server.RequireApproval, out _))
            errors.Add($"{key}:RequireApproval: '{server.RequireApproval}' is not one of {McpApproval.Always}, {McpApproval.Never}.");
    }
}
