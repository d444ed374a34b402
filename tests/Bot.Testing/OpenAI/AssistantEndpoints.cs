using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bot.Testing.OpenAI;

/// <summary>/v1/assistants: create, list, get, modify, delete (Assistants v2; every call needs `OpenAI-Beta: assistants=v2`).</summary>
internal sealed class AssistantEndpoints(FakeOpenAIState state)
{
    public void Map(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/assistants", CreateAsync);
        v1.MapGet("/assistants", ListAsync);
        v1.MapGet("/assistants/{id}", GetAsync);
        v1.MapPost("/assistants/{id}", ModifyAsync);
        v1.MapDelete("/assistants/{id}", DeleteAsync);
    }

    public static Task NotFoundAsync(HttpContext context, string id) =>
        OpenAIHttp.NotFoundAsync(context, $"No assistant found with id '{id}'.");

    /// <summary>The names of the function tools in an Assistants `tools` array ({"type":"function","function":{"name":…}}).</summary>
    public static List<string> FunctionNames(string toolsJson)
    {
        using var tools = JsonDocument.Parse(toolsJson);
        return [.. ParsedResponseRequest.Elements(tools.RootElement)
            .Where(t => ParsedResponseRequest.String(t, "type") == "function")
            .Select(t => ParsedResponseRequest.String(ParsedResponseRequest.Property(t, "function"), "name") ?? string.Empty)];
    }

    /// <summary>Whether a `tools` array holds a tool of the given type.</summary>
    public static bool HasTool(string toolsJson, string type)
    {
        using var tools = JsonDocument.Parse(toolsJson);
        return ParsedResponseRequest.Elements(tools.RootElement).Any(t => ParsedResponseRequest.String(t, "type") == type);
    }

    private async Task CreateAsync(HttpContext context)
    {
        using var body = await ReadAsync(context);
        if (body is null)
        {
            return;
        }

        var root = body.RootElement;
        if (ParsedResponseRequest.String(root, "model") is not { Length: > 0 } model)
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'model'.", "missing_required_parameter", "model");
            return;
        }

        var assistant = new StoredAssistant(FakeIds.Assistant(), FakeOpenAIState.Now()) { Model = model };
        Apply(assistant, root);
        state.Assistants[assistant.Id] = assistant;
        state.Ledger.RecordCreated(FakeResourceKind.Assistant, assistant.Id);
        await OpenAIHttp.OkAsync(context, assistant, AssistantJson.WriteAssistant);
    }

    private async Task ModifyAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        using var body = await ReadAsync(context);
        if (body is null)
        {
            return;
        }

        if (!state.Assistants.TryGetValue(id, out var assistant))
        {
            await NotFoundAsync(context, id);
            return;
        }

        if (ParsedResponseRequest.String(body.RootElement, "model") is { Length: > 0 } model)
        {
            lock (assistant.Sync)
            {
                assistant.Model = model;
            }
        }

        Apply(assistant, body.RootElement);
        await OpenAIHttp.OkAsync(context, assistant, AssistantJson.WriteAssistant);
    }

    private Task ListAsync(HttpContext context)
    {
        var assistants = state.Assistants.Values.OrderBy(a => a.CreatedAt).ToList();
        return OpenAIHttp.OkAsync(context, (context.Request, assistants), static (w, s) =>
            OpenAIHttp.WriteList(w, s.Request, s.assistants, static a => a.Id, AssistantJson.WriteAssistant));
    }

    private Task GetAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        return state.Assistants.TryGetValue(id, out var assistant)
            ? OpenAIHttp.OkAsync(context, assistant, AssistantJson.WriteAssistant)
            : NotFoundAsync(context, id);
    }

    private Task DeleteAsync(HttpContext context)
    {
        var id = OpenAIHttp.Route(context, "id");
        if (!state.Assistants.TryRemove(id, out _))
        {
            return NotFoundAsync(context, id);
        }

        state.Ledger.RecordDeleted(FakeResourceKind.Assistant, id);
        return OpenAIHttp.DeletedAsync(context, id, "assistant.deleted");
    }

    private static void Apply(StoredAssistant assistant, JsonElement root)
    {
        lock (assistant.Sync)
        {
            assistant.Name = ParsedResponseRequest.String(root, "name") ?? assistant.Name;
            assistant.Instructions = ParsedResponseRequest.String(root, "instructions") ?? assistant.Instructions;
            var tools = ParsedResponseRequest.Property(root, "tools");
            if (tools.ValueKind == JsonValueKind.Array)
            {
                assistant.ToolsJson = tools.GetRawText();
            }

            if (ParsedResponseRequest.Property(root, "metadata").ValueKind == JsonValueKind.Object)
            {
                assistant.Metadata = OpenAIHttp.ReadMetadata(root);
            }
        }
    }

    /// <summary>Reads the JSON body of an Assistants call; without the beta header the service answers 400.</summary>
    public static async Task<JsonDocument?> ReadAsync(HttpContext context)
    {
        if (!context.Request.Headers["OpenAI-Beta"].ToString().Contains("assistants=v2", StringComparison.Ordinal))
        {
            await OpenAIHttp.BadRequestAsync(context, "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'.", "invalid_beta");
            return null;
        }

        return await OpenAIHttp.ReadJsonAsync(context);
    }
}
