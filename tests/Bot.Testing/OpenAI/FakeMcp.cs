using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>An `mcp` tool of a request (MCPTool), as sent.</summary>
/// <param name="ServerLabel">`server_label`.</param>
/// <param name="ServerUrl">`server_url`.</param>
/// <param name="Headers">`headers` (empty when not sent).</param>
/// <param name="AllowedTools">`allowed_tools` (a list, or the `tool_names` of a filter); null when not sent.</param>
/// <param name="RequireApproval">`require_approval` as sent: `always`, `never`, the raw JSON of a filter object, or null.</param>
public sealed record FakeMcpTool(string ServerLabel, string? ServerUrl, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<string>? AllowedTools,
    string? RequireApproval)
{
    /// <summary>Whether a call of <paramref name="toolName"/> needs approval: `always` is the specification's default.</summary>
    public bool RequiresApproval(string toolName)
    {
        if (RequireApproval is null or "always")
        {
            return true;
        }

        if (RequireApproval == "never")
        {
            return false;
        }

        using var filter = JsonDocument.Parse(RequireApproval);
        bool Lists(string policy) => ParsedResponseRequest.Strings(
            ParsedResponseRequest.Property(ParsedResponseRequest.Property(filter.RootElement, policy), "tool_names")).Contains(toolName);
        return Lists("always") || !Lists("never");
    }
}

/// <summary>An `mcp_approval_response` input item (MCPApprovalResponse): which request it answers, and how.</summary>
public sealed record FakeMcpApprovalResponse(string? ApprovalRequestId, bool? Approve);

/// <summary>Reads the MCP parts of a POST /responses body.</summary>
internal static class FakeMcp
{
    public static List<FakeMcpTool> Tools(JsonElement tools)
    {
        var list = new List<FakeMcpTool>();
        foreach (var tool in ParsedResponseRequest.Elements(tools).Where(t => ParsedResponseRequest.String(t, "type") == "mcp"))
        {
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var sentHeaders = ParsedResponseRequest.Property(tool, "headers");
            if (sentHeaders.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in sentHeaders.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                }
            }

            var allowed = ParsedResponseRequest.Property(tool, "allowed_tools");
            var approval = ParsedResponseRequest.Property(tool, "require_approval");
            list.Add(new FakeMcpTool(
                ParsedResponseRequest.String(tool, "server_label") ?? string.Empty,
                ParsedResponseRequest.String(tool, "server_url"),
                headers,
                allowed.ValueKind switch
                {
                    JsonValueKind.Array => ParsedResponseRequest.Strings(allowed),
                    JsonValueKind.Object => ParsedResponseRequest.Strings(ParsedResponseRequest.Property(allowed, "tool_names")),
                    _ => null,
                },
                approval.ValueKind switch
                {
                    JsonValueKind.String => approval.GetString(),
                    JsonValueKind.Object => approval.GetRawText(),
                    _ => null,
                }));
        }

        return list;
    }

    public static List<FakeMcpApprovalResponse> ApprovalResponses(JsonElement input)
    {
        var list = new List<FakeMcpApprovalResponse>();
        foreach (var item in ParsedResponseRequest.Elements(input).Where(i => ParsedResponseRequest.String(i, "type") == "mcp_approval_response"))
        {
            var approve = ParsedResponseRequest.Property(item, "approve");
            list.Add(new FakeMcpApprovalResponse(ParsedResponseRequest.String(item, "approval_request_id"),
                approve.ValueKind is JsonValueKind.True or JsonValueKind.False ? approve.GetBoolean() : null));
        }

        return list;
    }
}
