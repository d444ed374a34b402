using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>Rejects a POST /responses the way the service does: missing model, unknown ids, unanswered tool calls.</summary>
internal sealed partial class ResponseValidator(FakeOpenAIState state)
{
    /// <summary>True when the request may run; otherwise the error has been written.</summary>
    public async Task<bool> ValidateAsync(HttpContext context, ParsedResponseRequest request)
    {
        var r = request.Public;
        if (string.IsNullOrEmpty(r.Model))
        {
            await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'model'.", "missing_required_parameter", "model");
            return false;
        }

        if (!await ContextOptionsValidAsync(context, request) || !await ImageToolValidAsync(context, request))
        {
            return false;
        }

        if (r.ConversationId is not null && r.PreviousResponseId is not null)
        {
            await OpenAIHttp.BadRequestAsync(
                context,
                "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.",
                "mutually_exclusive_parameters",
                "conversation");
            return false;
        }

        StoredConversation? conversation = null;
        if (r.ConversationId is { } conversationId && !state.Conversations.TryGetValue(conversationId, out conversation))
        {
            await ConversationEndpoints.NotFoundAsync(context, conversationId);
            return false;
        }

        StoredResponse? previous = null;
        if (r.PreviousResponseId is { } previousId && !state.Responses.TryGetValue(previousId, out previous))
        {
            await OpenAIHttp.NotFoundAsync(context, $"Previous response with id '{previousId}' not found.", "previous_response_id");
            return false;
        }

        if (r.VectorStoreIds.FirstOrDefault(id => !state.VectorStores.ContainsKey(id)) is { } store)
        {
            await OpenAIHttp.NotFoundAsync(context, $"Vector store with id '{store}' not found.", "tools");
            return false;
        }

        if (r.CodeInterpreterContainerId is { } containerId && !state.Containers.ContainsKey(containerId))
        {
            await OpenAIHttp.NotFoundAsync(context, $"Container with id '{containerId}' not found.", "tools");
            return false;
        }

        if (await UnknownFileAsync(context, r.CodeInterpreterFileIds, "tools") ||
            await UnknownFileAsync(context, r.InputImageFileIds, "input") ||
            await UnknownFileAsync(context, r.InputFileIds, "input"))
        {
            return false;
        }

        return await McpApprovalsValidAsync(context, request, conversation, previous)
            && await ToolCallsMatchAsync(context, request, conversation, previous);
    }

    /// <summary>
    /// `context_management` as the specification has it (an array of at least one entry with a `type`, a
    /// `compact_threshold` of at least 1000 or null) or refused as by a server without it; `truncation` auto or disabled.
    /// </summary>
    private async Task<bool> ContextOptionsValidAsync(HttpContext context, ParsedResponseRequest request)
    {
        using var document = JsonDocument.Parse(request.Public.Json.Length == 0 ? "{}" : request.Public.Json);
        if (state.RejectBackground && ParsedResponseRequest.Property(document.RootElement, "background").ValueKind == JsonValueKind.True)
        {
            state.RecordBackgroundRejection();
            await OpenAIHttp.BadRequestAsync(context, "Unknown parameter: 'background'.", "unknown_parameter", "background");
            return false;
        }

        var contextManagement = ParsedResponseRequest.Property(document.RootElement, "context_management");
        if (contextManagement.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            if (state.RejectContextManagement)
            {
                state.RecordContextManagementRejection();
                await OpenAIHttp.BadRequestAsync(context, "Unknown parameter: 'context_management'.", "unknown_parameter", "context_management");
                return false;
            }

            var entries = ParsedResponseRequest.Elements(contextManagement).ToList();
            if (contextManagement.ValueKind != JsonValueKind.Array || entries.Count == 0 || entries.Any(e => !EntryValid(e)))
            {
                await OpenAIHttp.BadRequestAsync(context, "Invalid 'context_management': expected an array of entries with a 'type' and a " +
                    "'compact_threshold' of at least 1000.", "invalid_value", "context_management");
                return false;
            }
        }

        var truncation = ParsedResponseRequest.Property(document.RootElement, "truncation");
        if (truncation.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null)
            && request.Public.Truncation is not ("auto" or "disabled"))
        {
            await OpenAIHttp.BadRequestAsync(context, $"Invalid value for 'truncation': {truncation.GetRawText()}. Supported values are: 'auto' and 'disabled'.",
                "invalid_value", "truncation");
            return false;
        }

        return true;
    }

    private static bool EntryValid(JsonElement entry)
    {
        var threshold = ParsedResponseRequest.Property(entry, "compact_threshold");
        return ParsedResponseRequest.String(entry, "type") is not null
            && (threshold.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                || (threshold.ValueKind == JsonValueKind.Number && threshold.TryGetInt32(out var n) && n >= 1000));
    }

    private async Task<bool> UnknownFileAsync(HttpContext context, IReadOnlyList<string> fileIds, string param)
    {
        var missing = fileIds.FirstOrDefault(id => !state.Files.ContainsKey(id));
        if (missing is null)
        {
            return false;
        }

        await OpenAIHttp.BadRequestAsync(context, $"File '{missing}' not found.", "file_not_found", param);
        return true;
    }

    /// <summary>
    /// Every function_call_output must answer a known function_call, and (with <see cref="FakeOpenAIState.RequireFunctionCallOutputs"/>)
    /// a conversation's unanswered function_call must be answered before anything else is sent.
    /// </summary>
    private async Task<bool> ToolCallsMatchAsync(HttpContext context, ParsedResponseRequest request, StoredConversation? conversation, StoredResponse? previous)
    {
        var calls = new HashSet<string>(StringComparer.Ordinal);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        void Collect(IEnumerable<FakeItem> items)
        {
            foreach (var item in items)
            {
                if (item.CallId is not { } callId)
                {
                    continue;
                }

                (item.Type == "function_call_output" ? answered : calls).Add(callId);
            }
        }

        if (conversation is not null)
        {
            lock (conversation.Sync)
            {
                Collect(conversation.Items);
            }
        }

        if (previous is not null)
        {
            lock (previous.Sync)
            {
                Collect(previous.Output);
            }
        }

        Collect(request.InputItems.Where(i => i.Type == "function_call"));
        if (request.Public.FunctionCallOutputs.Keys.FirstOrDefault(id => !calls.Contains(id)) is { } unknown)
        {
            await OpenAIHttp.BadRequestAsync(context, $"No tool call found for function call output with call_id {unknown}.", param: "input");
            return false;
        }

        if (state.RequireFunctionCallOutputs)
        {
            answered.UnionWith(request.Public.FunctionCallOutputs.Keys);
            if (calls.FirstOrDefault(id => !answered.Contains(id)) is { } unanswered)
            {
                await OpenAIHttp.BadRequestAsync(context, $"No tool output found for function call {unanswered}.", param: "input");
                return false;
            }
        }

        return true;
    }
}
