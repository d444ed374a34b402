using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

/// <summary>The fake's interaction responses (callback, edits of the original response, followups) and the message flag rules.</summary>
public sealed partial class FakeDiscordServer
{
    // Flags a channel message may be created with (SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE,
    // IS_COMPONENTS_V2); EPHEMERAL only on interaction responses; edits change only SUPPRESS_EMBEDS and IS_COMPONENTS_V2.
    private const int CreateFlags = 4 | 4096 | 8192 | 32768, MessageFlagEphemeral = 64, EditableFlags = 4 | 32768;

    private async Task<int> CallbackAsync(HttpContext context, string id, string token, JsonNode? body)
    {
        if (!_interactions.TryGetValue(id, out var interaction) || interaction.Token != token ||
            DateTimeOffset.UtcNow - interaction.SentAt > TimeSpan.FromSeconds(3))
            return await WriteAsync(context, 404, new JsonObject { ["message"] = "Unknown interaction", ["code"] = 10062 }).ConfigureAwait(false);
        if (interaction.CallbackType is not null)
            return await WriteAsync(context, 400, new JsonObject { ["message"] = "Interaction has already been acknowledged.", ["code"] = 40060 })
                .ConfigureAwait(false);

        var type = body?["type"]?.GetValue<int>();
        // An autocomplete is answered with its result (type 8) and nothing else; type 8 answers nothing else.
        if ((interaction.Type == 4) != (type == 8))
            return await InvalidFormAsync(context, $"type: callback type {type} does not answer an interaction of type {interaction.Type}.").ConfigureAwait(false);
        if ((type == 8 ? ChoicesError(body?["data"]) : EmbedsError(body?["data"]?["embeds"])) is { } dataError)
            return await InvalidFormAsync(context, dataError).ConfigureAwait(false);
        var flags = Flags(body?["data"]);
        var message = type == 7 && interaction.MessageId is { } messageId ? _messages.GetValueOrDefault(messageId) : null;
        // Type 5 may only choose visibility; type 7 edits the component's message, so edit rules apply.
        var valid = type switch
        {
            5 => (flags & ~MessageFlagEphemeral) == 0,
            7 => body?["data"]?["flags"] is null || EditedFlags(message?.Flags ?? 0, flags) is not null,
            _ => (flags & ~(CreateFlags | MessageFlagEphemeral)) == 0,
        };
        if (!valid)
            return await InvalidFormAsync(context, $"data.flags: {flags} is not allowed with callback type {type}.").ConfigureAwait(false);
        if (ComponentError(body?["data"]?["components"]) is { } componentError)
            return await InvalidFormAsync(context, componentError).ConfigureAwait(false);
        if (body?["data"]?["content"]?.GetValue<string>() is { Length: > 2000 })
            return await InvalidFormAsync(context, "data.content: Must be 2000 or fewer in length.").ConfigureAwait(false);

        interaction.CallbackType = type;
        interaction.CallbackData = body?["data"]?.DeepClone();
        interaction.CallbackAt = DateTimeOffset.UtcNow;
        interaction.Content = body?["data"]?["content"]?.GetValue<string>();
        interaction.Flags = type == 7 ? null : flags;
        if (message is not null)
        {
            // Type 7 edits the message the component is on: its text, mentions and components as given.
            if (body?["data"]?["content"]?.GetValue<string>() is { } content)
                message.SetContent(content, DateTimeOffset.UtcNow);
            if (body?["data"]?["allowed_mentions"] is { } mentions)
                message.AllowedMentions = mentions.DeepClone();
            if (body?["data"]?["components"] is JsonArray components)
                message.Components = components.DeepClone().AsArray();
            if (body?["data"]?["flags"] is not null)
                message.Flags = EditedFlags(message.Flags, flags)!.Value;
        }

        return await WriteAsync(context, 204, null).ConfigureAwait(false);
    }

    private async Task<int> EditOriginalAsync(HttpContext context, string token, JsonNode? body)
    {
        var interaction = _interactions.Values.FirstOrDefault(i => i.Token == token);
        if (interaction?.CallbackType is null)
            return await WriteAsync(context, 404, new JsonObject { ["message"] = "Unknown Webhook", ["code"] = 10015 }).ConfigureAwait(false);
        if (body?["flags"] is not null)
        {
            if (EditedFlags(interaction.Flags ?? 0, Flags(body)) is not { } edited)
                return await InvalidFormAsync(context, "flags: only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 can be changed on edit.").ConfigureAwait(false);
            interaction.Flags = edited;
        }

        interaction.Content = body?["content"]?.GetValue<string>();
        return await WriteAsync(context, 200, new JsonObject { ["id"] = NextId(), ["content"] = interaction.Content }).ConfigureAwait(false);
    }

    private static int Flags(JsonNode? body) => body?["flags"]?.GetValue<int>() ?? 0;

    // An edit may set or clear only SUPPRESS_EMBEDS and IS_COMPONENTS_V2 and must repeat the other bits the message
    // has (Discord: "include all previously set flags"); null when the request breaks that rule.
    private static int? EditedFlags(int current, int requested) =>
        (requested & ~(EditableFlags | current)) == 0 && (current & ~EditableFlags) == (requested & ~EditableFlags) ? requested : null;
}
