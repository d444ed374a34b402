using System.ClientModel;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Microsoft.Extensions.Logging;
using OpenAI.Assistants;

namespace Bot.OpenAI.Assistants;

/// <summary>
/// Finds the assistant the runs use: <c>OpenAI:AssistantId</c> when set, otherwise one the bot created from
/// <c>OpenAI:Model</c>, <c>OpenAI:Instructions</c> and the configured tools. Its id is remembered in the
/// store as this backend's provisioned assistant, with a fingerprint of that configuration: after a restart the
/// same assistant is reused, and after a configuration change it is updated (or created again if it was deleted remotely).
/// </summary>
internal sealed class AssistantProvisioner(
    OpenAIClients clients,
    OpenAIOptions options,
    FunctionToolRegistry tools,
    Func<IProvisionedAssistants> store,
    ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _assistantId = string.IsNullOrWhiteSpace(options.AssistantId) ? null : options.AssistantId.Trim();

    /// <summary>The assistant id, creating or updating the assistant on first use.</summary>
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _assistantId) is { } known)
            return known;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_assistantId is { } raced)
                return raced;
            var id = await ProvisionAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _assistantId, id);
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Forgets an assistant the service no longer knows, so that the next <see cref="GetAsync"/> creates it again.
    /// False (nothing forgotten) for a configured <c>OpenAI:AssistantId</c>: the operator's assistant is not replaced.
    /// </summary>
    public async Task<bool> ForgetAsync(string assistantId, CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrWhiteSpace(options.AssistantId))
            return false;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_assistantId == assistantId)
            {
                Volatile.Write(ref _assistantId, null);
                await store().ForgetProvisionedAssistantAsync(ApiKinds.Assistants, assistantId, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ProvisionAsync(CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint();
        if (await store().FindProvisionedAssistantAsync(ApiKinds.Assistants, cancellationToken).ConfigureAwait(false) is { } remembered)
        {
            if (remembered.SettingsHash == fingerprint)
                return remembered.AssistantId;
            if (await TryUpdateAsync(remembered.AssistantId, cancellationToken).ConfigureAwait(false))
            {
                await store().SaveProvisionedAssistantAsync(remembered with { SettingsHash = fingerprint }, cancellationToken).ConfigureAwait(false);
                return remembered.AssistantId;
            }
        }

        var creation = new AssistantCreationOptions
        {
            Name = "Chat bot",
            Instructions = options.Instructions,
            Metadata = { ["created_by"] = "openai-chat-bot" },
        };
        foreach (var tool in ToolDefinitions())
            creation.Tools.Add(tool);
        Assistant assistant = (await FailureMapping.GuardAsync(() => clients.Assistants.CreateAssistantAsync(options.Model, creation, cancellationToken),
            cancellationToken).ConfigureAwait(false)).Value;
        await store().SaveProvisionedAssistantAsync(new ProvisionedAssistant(ApiKinds.Assistants, assistant.Id, fingerprint), cancellationToken)
            .ConfigureAwait(false);
        Log.AssistantCreated(logger, assistant.Id, options.Model);
        return assistant.Id;
    }

    private async Task<bool> TryUpdateAsync(string assistantId, CancellationToken cancellationToken)
    {
        var modification = new AssistantModificationOptions { Model = options.Model, Instructions = options.Instructions };
        foreach (var tool in ToolDefinitions())
            modification.DefaultTools.Add(tool);
        try
        {
            await FailureMapping.GuardAsync(() => clients.Assistants.ModifyAssistantAsync(assistantId, modification, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            Log.AssistantUpdated(logger, assistantId);
            return true;
        }
        catch (Bot.Core.Backends.AssistantFailureException e) when (e.InnerException is ClientResultException { Status: 404 })
        {
            return false;
        }
    }

    private IEnumerable<ToolDefinition> ToolDefinitions() => ToolDefinitions(options.Tools.CodeInterpreter, options.Tools.FileSearch, tools);

    /// <summary>The assistant's tools: the built-in ones switched on, then every function tool.</summary>
    internal static IEnumerable<ToolDefinition> ToolDefinitions(bool codeInterpreter, bool fileSearch, FunctionToolRegistry tools)
    {
        if (codeInterpreter)
            yield return ToolDefinition.CreateCodeInterpreter();
        if (fileSearch)
            yield return ToolDefinition.CreateFileSearch();
        foreach (var tool in tools.Tools)
            yield return ToolDefinition.CreateFunction(tool.Name, tool.Description, BinaryData.FromString(tool.ParametersJsonSchema), strictParameterSchemaEnabled: false);
    }

    // What the assistant is made of; a change means the remembered assistant must be updated.
    private string Fingerprint()
    {
        var text = new StringBuilder()
            .Append(options.Model).Append('\n').Append(options.Instructions).Append('\n')
            .Append(options.Tools.CodeInterpreter).Append(options.Tools.FileSearch);
        foreach (var tool in tools.Tools.OrderBy(t => t.Name, StringComparer.Ordinal))
            text.Append('\n').Append(tool.Name).Append(' ').Append(tool.Description).Append(' ').Append(tool.ParametersJsonSchema);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
