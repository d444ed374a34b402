using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Bot.Testing.Discord;

/// <summary>
/// The fake's application commands as Discord checks them at registration (names, descriptions, options, choices,
/// autocomplete, permissions), the autocomplete result (callback type 8), embeds in responses, and channel fetches.
/// </summary>
public sealed partial class FakeDiscordServer
{
    private const int SubCommand = 1, SubCommandGroup = 2, StringOption = 3, IntegerOption = 4, NumberOption = 10;

    private readonly ConcurrentDictionary<string, JsonObject> _channels = new(StringComparer.Ordinal);

    /// <summary>Makes GET /channels/{id} answer with this channel object (a thread with its <c>parent_id</c>, say).</summary>
    public void AddChannel(JsonObject channel) => _channels[channel["id"]!.GetValue<string>()] = channel;

    /// <summary>
    /// Why Discord would refuse this bulk overwrite, or null. Per command: a CHAT_INPUT name of 1–32 lowercase letters,
    /// digits, <c>-</c>, <c>_</c> or <c>'</c>; a description of 1–100 characters; <c>default_member_permissions</c> null
    /// or a string of digits; <c>contexts</c> from 0–2; at most 25 options per level, required before optional,
    /// subcommands not mixed with other options and never required; at most 25 choices; autocomplete only on string,
    /// integer and number options and never with choices; <c>max_length</c> 1–6000 on strings only; no two names alike.
    /// </summary>
    public static string? CommandsError(JsonNode? body)
    {
        if (body is not JsonArray commands)
            return "Expected an array of commands.";
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            if (command is not JsonObject c)
                return "Each command must be an object.";
            var name = Text(c["name"]);
            var type = c["type"]?.GetValue<int>() ?? 1;
            if (type == 1 && (NameError(name) ?? DescriptionError(Text(c["description"]))) is { } error)
                return $"{name}: {error}";
            if (!names.Add(name))
                return $"{name}: Application command names must be unique.";
            if (c["default_member_permissions"] is { } permissions &&
                (permissions.GetValueKind() != System.Text.Json.JsonValueKind.String || !Digits().IsMatch(permissions.GetValue<string>())))
                return $"{name}.default_member_permissions: Must be a string of digits (a permission bitfield) or null.";
            if (c["contexts"] is JsonArray contexts && contexts.Any(x => x?.GetValue<int>() is not (0 or 1 or 2)))
                return $"{name}.contexts: Values must be 0, 1 or 2.";
            if (OptionsError(c["options"], name, depth: 0) is { } optionError)
                return optionError;
        }

        return null;
    }

    private static string? OptionsError(JsonNode? node, string where, int depth)
    {
        if (node is null)
            return null;
        if (node is not JsonArray options || options.Count > 25)
            return $"{where}.options: Must be 25 or fewer in length.";
        var optional = false;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var subcommands = options.Count(o => o?["type"]?.GetValue<int>() is SubCommand or SubCommandGroup);
        if (subcommands > 0 && subcommands != options.Count)
            return $"{where}.options: Subcommands cannot be mixed with other options.";
        foreach (var option in options)
        {
            var name = Text(option?["name"]);
            var at = $"{where}.{name}";
            var type = option?["type"]?.GetValue<int>() ?? 0;
            if (type is < 1 or > 11)
                return $"{at}.type: Value must be one of the option types.";
            if ((NameError(name) ?? DescriptionError(Text(option?["description"]))) is { } error)
                return $"{at}: {error}";
            if (!names.Add(name))
                return $"{at}: Option names must be unique.";
            var required = option?["required"]?.GetValue<bool>() ?? false;
            if (type is SubCommand or SubCommandGroup)
            {
                if (required)
                    return $"{at}.required: Subcommands cannot be required.";
                if (type == SubCommandGroup ? depth > 0 : depth > 1)
                    return $"{at}: Subcommands nest at most two levels.";
                if (OptionsError(option!["options"], at, depth + 1) is { } nested)
                    return nested;
                continue;
            }

            if (required && optional)
                return $"{at}.required: Required options must be placed before non-required options.";
            optional |= !required;
            var choices = option?["choices"] as JsonArray;
            if (choices is { Count: > 25 })
                return $"{at}.choices: Must be 25 or fewer in length.";
            if (choices?.Any(ch => Text(ch?["name"]).Length is < 1 or > 100) == true)
                return $"{at}.choices.name: Must be between 1 and 100 in length.";
            var autocomplete = option?["autocomplete"]?.GetValue<bool>() ?? false;
            if (autocomplete && type is not (StringOption or IntegerOption or NumberOption))
                return $"{at}.autocomplete: Autocomplete is only for string, integer and number options.";
            if (autocomplete && choices is { Count: > 0 })
                return $"{at}.autocomplete: Autocomplete cannot be set with choices.";
            var hasLength = option?["min_length"] is not null || option?["max_length"] is not null;
            if (hasLength && type != StringOption)
                return $"{at}.max_length: Only string options have lengths.";
            if (option?["max_length"]?.GetValue<int>() is { } max && max is < 1 or > 6000)
                return $"{at}.max_length: Must be between 1 and 6000.";
        }

        return null;
    }

    private static string? NameError(string name) =>
        CommandName().IsMatch(name) && name == name.ToLowerInvariant() ? null : "Command and option names must be 1-32 lowercase characters.";

    private static string? DescriptionError(string description) =>
        description.Length is >= 1 and <= 100 ? null : "Descriptions must be between 1 and 100 in length.";

    private static string Text(JsonNode? node) => node?.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : "";

    /// <summary>
    /// Why Discord would refuse this autocomplete result (callback type 8), or null: at most 25 choices, each with a
    /// name of 1–100 characters and a value.
    /// </summary>
    internal static string? ChoicesError(JsonNode? data)
    {
        if (data?["choices"] is not JsonArray choices)
            return "data.choices: This field is required.";
        if (choices.Count > 25)
            return "data.choices: Must be 25 or fewer in length.";
        return choices.Any(c => Text(c?["name"]).Length is < 1 or > 100 || c?["value"] is null)
            ? "data.choices: Each choice needs a name of 1 to 100 characters and a value."
            : null;
    }

    /// <summary>
    /// Why Discord would refuse these embeds, or null: at most 10; title ≤ 256, description ≤ 4096, at most 25 fields with
    /// a name of 1–256 and a value of 1–1024 characters; 6000 characters over all embeds.
    /// </summary>
    internal static string? EmbedsError(JsonNode? embeds)
    {
        if (embeds is null)
            return null;
        if (embeds is not JsonArray list || list.Count > 10)
            return "embeds: Must be 10 or fewer in length.";
        var total = 0;
        foreach (var embed in list)
        {
            var title = Text(embed?["title"]);
            var description = Text(embed?["description"]);
            if (title.Length > 256 || description.Length > 4096)
                return "embeds: title at most 256, description at most 4096 characters.";
            total += title.Length + description.Length;
            if (embed?["fields"] is JsonArray fields)
            {
                if (fields.Count > 25)
                    return "embeds.fields: Must be 25 or fewer in length.";
                foreach (var field in fields)
                {
                    var name = Text(field?["name"]);
                    var value = Text(field?["value"]);
                    if (name.Length is < 1 or > 256 || value.Length is < 1 or > 1024)
                        return "embeds.fields: a name of 1 to 256 and a value of 1 to 1024 characters.";
                    total += name.Length + value.Length;
                }
            }
        }

        return total > 6000 ? "embeds: Embed size exceeds maximum size of 6000." : null;
    }

    private async Task<int> OverwriteCommandsAsync(HttpContext context, JsonNode? body)
    {
        if (CommandsError(body) is { } error)
            return await InvalidFormAsync(context, error).ConfigureAwait(false);
        var commands = body!.AsArray();
        foreach (var command in commands)
            command!["id"] = NextId();
        Commands = commands;
        return await WriteAsync(context, 200, commands.DeepClone()).ConfigureAwait(false);
    }

    private async Task<int> GetChannelAsync(HttpContext context, string channelId) =>
        _channels.TryGetValue(channelId, out var channel)
            ? await WriteAsync(context, 200, channel.DeepClone()).ConfigureAwait(false)
            : await WriteAsync(context, 404, new JsonObject { ["message"] = "Unknown Channel", ["code"] = 10003 }).ConfigureAwait(false);

    [GeneratedRegex(@"^[-_'\p{L}\p{N}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex CommandName();

    [GeneratedRegex(@"^[0-9]{1,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex Digits();
}
