using Bot.Core.Places;
using Bot.Core.Usage;
using Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Adapter;

/// <summary>
/// <c>/settings show|set|clear|history</c>, <c>/model</c>, <c>/usage</c> and their autocomplete. Settings and model are
/// for members whom Discord's own computation gives Manage Server (or Administrator) in the interaction: the client
/// hides the commands from others, but the API can be called, so the permission is checked here again before anything
/// is shown or stored. The target is the channel (the thread, when used in one) or, with <c>scope: server</c>, the
/// server. Every answer is ephemeral and pings nobody; the texts are Core's (<see cref="SettingsCommand"/>,
/// <see cref="SettingsText"/>), <c>/usage</c> an embed (<see cref="UsageEmbed"/>).
/// </summary>
internal sealed class SettingsInteractions(DiscordRestClient rest, PlaceSettings settings, UsageReports usage, DiscordOptions options,
    TimeProvider time, ILogger<SettingsInteractions> logger)
{
    public const string NotManager = "Only members with the Manage Server permission can show or change my settings.";
    public const string NotInDirectMessages = "Settings belong to a server: use this command in a server's channel (you need Manage Server).";
    public const int MaxChoices = 25;

    /// <summary>Whether <paramref name="name"/> is one of the commands answered here.</summary>
    public static bool Handles(string name) => name is "settings" or "model" or "usage";

    /// <summary>Answers a slash command (type 2).</summary>
    public async Task CommandAsync(JsonElement interaction, string name, Requester requester, Place place, PlacePath path,
        CancellationToken cancellationToken)
    {
        var id = interaction.GetProperty("id").GetString()!;
        var token = interaction.GetProperty("token").GetString()!;
        if (name == "usage")
        {
            var user = await usage.ForUserAsync(DiscordChannel.ChannelName, requester.UserId, path, cancellationToken).ConfigureAwait(false);
            var report = requester.IsManager && !place.IsDirect ? await usage.ForPlaceAsync(path, cancellationToken).ConfigureAwait(false) : null;
            var message = WithEmbed(UsageEmbed.Build(user, report, time.GetUtcNow()));
            await rest.RespondAsync(id, token, DiscordRestClient.CallbackMessage, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        string text;
        if (place.IsDirect)
        {
            text = NotInDirectMessages;
        }
        else if (!requester.IsManager)
        {
            Log.CommandRefused(logger, requester.UserId, name, path.Nearest.Id);
            text = NotManager;
        }
        else
        {
            var (command, server) = Parse(name, interaction.GetProperty("data"));
            var target = server ? path.Levels[0] : path.Nearest;
            text = await command.RunAsync(settings, path, target, ChangedBy(interaction, requester), cancellationToken).ConfigureAwait(false);
            if (command.Changes)
                Log.SettingChanged(logger, requester.UserId, name, command.Name, target.Id);
        }

        await rest.RespondAsync(id, token, DiscordRestClient.CallbackMessage, TextMessage(text), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers an autocomplete (type 4) with up to 25 choices (type 8): setting names, or allowed models.</summary>
    public Task AutocompleteAsync(JsonElement interaction, string name, Requester requester, CancellationToken cancellationToken)
    {
        var id = interaction.GetProperty("id").GetString()!;
        var token = interaction.GetProperty("token").GetString()!;
        var focused = Focused(interaction.GetProperty("data"));
        IEnumerable<string> candidates = !requester.IsManager || focused is null ? [] : (name, focused.Value.Name) switch
        {
            ("settings", "name") => settings.Definitions.Select(d => d.Name),
            ("model", "name") => settings.AllowedModels,
            _ => [],
        };
        var typed = focused?.Value ?? "";
        var choices = new JsonArray();
        foreach (var choice in Filter(candidates, typed))
            choices.Add(new JsonObject { ["name"] = choice, ["value"] = choice });
        return rest.RespondAsync(id, token, DiscordRestClient.CallbackAutocompleteResult, new JsonObject { ["choices"] = choices }, cancellationToken);
    }

    /// <summary>The candidates that contain what was typed (case-insensitive), those starting with it first, at most 25.</summary>
    public static IEnumerable<string> Filter(IEnumerable<string> candidates, string typed) =>
        candidates.Where(c => c.Length <= 100 && c.Contains(typed.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.StartsWith(typed.Trim(), StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .Take(MaxChoices);

    // The command as Core's text commands know it, and whether it addresses the server rather than the channel.
    private static (SettingsCommand Command, bool Server) Parse(string name, JsonElement data)
    {
        if (name == "model")
        {
            var given = Options(data);
            return (new SettingsCommand(SettingsCommandKind.Model, SettingNames.Model, given.GetValueOrDefault("name", "")),
                given.GetValueOrDefault("scope") == "server");
        }

        var sub = data.TryGetProperty("options", out var subs) && subs.ValueKind == JsonValueKind.Array && subs.GetArrayLength() > 0 ? subs[0] : default;
        var verb = sub.ValueKind == JsonValueKind.Object ? sub.GetProperty("name").GetString() : null;
        var values = sub.ValueKind == JsonValueKind.Object ? Options(sub) : [];
        var server = values.GetValueOrDefault("scope") == "server";
        var command = verb switch
        {
            "show" => new SettingsCommand(SettingsCommandKind.Show),
            "history" => new SettingsCommand(SettingsCommandKind.History),
            "set" => new SettingsCommand(SettingsCommandKind.Set, values.GetValueOrDefault("name", ""), values.GetValueOrDefault("value", "")),
            "clear" => new SettingsCommand(SettingsCommandKind.Clear, values.GetValueOrDefault("name", "")),
            _ => new SettingsCommand(SettingsCommandKind.Invalid, Value: "Use `/settings show`, `/settings set`, `/settings clear` or `/settings history`."),
        };
        return (command, server);
    }

    // The string and boolean values of a command's (or subcommand's) options, by name.
    private static Dictionary<string, string> Options(JsonElement parent)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!parent.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array)
            return values;
        foreach (var option in options.EnumerateArray())
        {
            if (option.TryGetProperty("value", out var value) && option.GetProperty("name").GetString() is { } optionName)
                values[optionName] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return values;
    }

    // The option being typed in an autocomplete, at the top level or inside the subcommand.
    private static (string Name, string Value)? Focused(JsonElement data)
    {
        if (!data.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var option in options.EnumerateArray())
        {
            if (option.TryGetProperty("focused", out var focused) && focused.ValueKind == JsonValueKind.True)
                return (option.GetProperty("name").GetString() ?? "", option.TryGetProperty("value", out var v) ? v.ToString() : "");
            if (option.TryGetProperty("options", out _) && Focused(option) is { } inner)
                return inner;
        }

        return null;
    }

    // Who changed a setting, for the history: the Discord user id and, as plain one-line text, their name.
    private static string ChangedBy(JsonElement interaction, Requester requester)
    {
        var name = DisplayName(interaction);
        var clean = new string([.. name.Where(c => !char.IsControl(c) && c != '`')]).Trim();
        clean = clean.Length <= 64 ? clean : clean[..64] + "…";
        return clean.Length == 0 ? $"{DiscordPlaces.Prefix}{requester.UserId}" : $"{DiscordPlaces.Prefix}{requester.UserId} ({clean})";
    }

    private static string DisplayName(JsonElement interaction)
    {
        var hasMember = interaction.TryGetProperty("member", out var member) && member.ValueKind == JsonValueKind.Object;
        if (hasMember && member.TryGetProperty("nick", out var nick) && nick.ValueKind == JsonValueKind.String && nick.GetString() is { Length: > 0 } n)
            return n;
        var user = hasMember ? member.GetProperty("user") : interaction.GetProperty("user");
        if (user.TryGetProperty("global_name", out var global) && global.ValueKind == JsonValueKind.String && global.GetString() is { Length: > 0 } g)
            return g;
        return user.TryGetProperty("username", out var username) ? username.GetString() ?? "" : "";
    }

    // Up to 2000 characters as the message's text; a longer text (a long /settings show) goes into an embed's description.
    private JsonObject TextMessage(string text)
    {
        if (text.Length <= 2000)
            return Ephemeral(text);
        return WithEmbed(new JsonObject { ["description"] = text.Length <= 4096 ? text : text[..4095] + "…" });
    }

    private JsonObject Ephemeral(string text) => DiscordRestClient.Message(text, flags: MessageFlags.Ephemeral | options.SentMessageFlags);

    // SUPPRESS_EMBEDS (the link-preview setting) would hide the embed itself, so an embed goes out with EPHEMERAL only.
    private static JsonObject WithEmbed(JsonObject embed)
    {
        var message = DiscordRestClient.Message(null, flags: MessageFlags.Ephemeral);
        message["embeds"] = new JsonArray(embed);
        return message;
    }
}
