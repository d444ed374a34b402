using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>An `mcp_list_tools` output item (MCPListTools): the tools of one server, each with an input schema.</summary>
internal sealed class McpListToolsItem(string id, string serverLabel, IReadOnlyList<string> toolNames) : FakeItem(id, "mcp_list_tools")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString("server_label", serverLabel);
        writer.WriteStartArray("tools");
        if (Done)
        {
            foreach (var name in toolNames)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("description", $"The {name} tool.");
                writer.WriteStartObject("input_schema");
                writer.WriteString(JsonNames.Type, "object");
                writer.WriteStartObject("properties");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteNull("annotations");
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteNull("error");
        writer.WriteEndObject();
    }
}

/// <summary>
/// An `mcp_call` output item (MCPToolCall): `calling` while it runs, then `completed` with its `output`, or `failed` with
/// an `error` (MCPToolCallError, here an `http_error`).
/// </summary>
internal sealed class McpCallItem(string id, McpCallStep call) : FakeItem(id, "mcp_call")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString(JsonNames.Status, !Done ? "calling" : call.Error is null ? "completed" : "failed");
        if (call.ApprovalRequestId is { } approvalRequestId)
        {
            writer.WriteString("approval_request_id", approvalRequestId);
        }
        else
        {
            writer.WriteNull("approval_request_id");
        }

        writer.WriteString("arguments", Done ? call.Arguments : string.Empty);
        if (Done && call.Error is { } error)
        {
            writer.WriteStartObject("error");
            writer.WriteString(JsonNames.Type, "http_error");
            writer.WriteNumber("code", error.Status);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("error");
        }

        writer.WriteString("name", call.ToolName);
        if (Done && call.Error is null)
        {
            writer.WriteString("output", call.Output);
        }
        else
        {
            writer.WriteNull("output");
        }

        writer.WriteString("server_label", call.ServerLabel);
        writer.WriteEndObject();
    }
}

/// <summary>An `mcp_approval_request` output item (MCPApprovalRequest): the call the model wants to make, awaiting a yes or no.</summary>
internal sealed class McpApprovalRequestItem(string id, McpCallStep call) : FakeItem(id, "mcp_approval_request")
{
    public override void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(JsonNames.Id, Id);
        writer.WriteString(JsonNames.Type, Type);
        writer.WriteString("arguments", call.Arguments);
        writer.WriteString("name", call.ToolName);
        writer.WriteString("server_label", call.ServerLabel);
        writer.WriteEndObject();
    }
}

/// <summary>The `type` strings of the MCP stream events.</summary>
internal static class McpEventTypes
{
    public static readonly JsonEncodedText ListToolsInProgress = JsonEncodedText.Encode("response.mcp_list_tools.in_progress");
    public static readonly JsonEncodedText ListToolsCompleted = JsonEncodedText.Encode("response.mcp_list_tools.completed");
    public static readonly JsonEncodedText CallInProgress = JsonEncodedText.Encode("response.mcp_call.in_progress");
    public static readonly JsonEncodedText CallArgumentsDelta = JsonEncodedText.Encode("response.mcp_call_arguments.delta");
    public static readonly JsonEncodedText CallArgumentsDone = JsonEncodedText.Encode("response.mcp_call_arguments.done");
    public static readonly JsonEncodedText CallCompleted = JsonEncodedText.Encode("response.mcp_call.completed");
    public static readonly JsonEncodedText CallFailed = JsonEncodedText.Encode("response.mcp_call.failed");
}

/// <summary>The ids of MCP items, shaped like the service's.</summary>
internal static partial class FakeIds
{
    public static string McpListTools() => Hex("mcpl_", 50);

    public static string McpCall() => Hex("mcp_", 50);

    public static string McpApprovalRequest() => Hex("mcpr_", 50);
}
