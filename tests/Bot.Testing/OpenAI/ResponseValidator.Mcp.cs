using Microsoft.AspNetCore.Http;

namespace Bot.Testing.OpenAI;

/// <summary>`mcp_approval_response` input: complete, and answering an `mcp_approval_request` of the conversation.</summary>
internal sealed partial class ResponseValidator
{
    private static async Task<bool> McpApprovalsValidAsync(HttpContext context, ParsedResponseRequest request, StoredConversation? conversation,
        StoredResponse? previous)
    {
        var asked = new HashSet<string>(StringComparer.Ordinal);
        if (conversation is not null)
        {
            lock (conversation.Sync)
            {
                asked.UnionWith(conversation.Items.Where(i => i.Type == "mcp_approval_request").Select(i => i.Id));
            }
        }

        if (previous is not null)
        {
            lock (previous.Sync)
            {
                asked.UnionWith(previous.Output.Where(i => i.Type == "mcp_approval_request").Select(i => i.Id));
            }
        }

        foreach (var response in request.Public.McpApprovalResponses)
        {
            if (response.ApprovalRequestId is null)
            {
                await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'input[].approval_request_id'.", "missing_required_parameter", "input");
                return false;
            }

            if (response.Approve is null)
            {
                await OpenAIHttp.BadRequestAsync(context, "Missing required parameter: 'input[].approve'.", "missing_required_parameter", "input");
                return false;
            }

            if (!asked.Contains(response.ApprovalRequestId))
            {
                await OpenAIHttp.BadRequestAsync(context, $"No approval request found with id '{response.ApprovalRequestId}'.", "invalid_value", "input");
                return false;
            }
        }

        return true;
    }
}
