using System.Text.Json.Nodes;
using Bot.Core.Places;
using Bot.Core.Storage;
using Bot.Testing.Discord;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>
/// <c>/settings</c>, <c>/model</c> and <c>/usage</c> interactions built from the recorded slash command, moved into the
/// fake's guild (the guild of the recorded mention), and what the bot answered and stored.
/// </summary>
internal static class AdminCommands
{
    /// <summary>MANAGE_GUILD (Manage Server) alone.</summary>
    public const string ManagerPermissions = "32";

    /// <summary>The recorded member's id and global name (who a change is recorded as).</summary>
    public const string ManagerId = "336733686529654798";

    /// <summary>A thread of <see cref="DiscordHarness.GuildChannel"/> (the fake answers a fetch of it with its parent).</summary>
    public const string ThreadId = "1457536551830421524";

    public static string Server(DiscordHarness bot) => "discord:" + bot.Discord.GuildId;

    public static string Channel(string channelId = DiscordHarness.GuildChannel) => "discord:" + channelId;

    /// <summary>A slash command in the fake's guild by a member with Manage Server (in a thread: with its parent).</summary>
    public static JsonObject Slash(DiscordHarness bot, string name, JsonArray? options = null, string channelId = DiscordHarness.GuildChannel,
        int channelType = 0, string? parentId = null)
    {
        var command = Interactions.Command(bot, name, channelId, channelType);
        command["guild_id"] = bot.Discord.GuildId;
        command["guild"]!["id"] = bot.Discord.GuildId;
        command["channel"]!["guild_id"] = bot.Discord.GuildId;
        command["channel"]!["parent_id"] = parentId;
        command["member"]!["permissions"] = ManagerPermissions;
        if (options is not null)
            command["data"]!["options"] = options;
        return command;
    }

    /// <summary><c>/settings {verb}</c> with these string options (name, value, scope).</summary>
    public static JsonObject Settings(DiscordHarness bot, string verb, params (string Name, string Value)[] options) =>
        Slash(bot, "settings", [new JsonObject { ["type"] = 1, ["name"] = verb, ["options"] = Options(options) }]);

    /// <summary><c>/model {name}</c>.</summary>
    public static JsonObject Model(DiscordHarness bot, string model) => Slash(bot, "model", Options([("name", model)]));

    /// <summary>Adds a string option to a command without subcommands (<c>/model … scope:server</c>).</summary>
    public static JsonObject WithOption(this JsonObject command, string name, string value)
    {
        command["data"]!["options"]!.AsArray().Add(new JsonObject { ["type"] = 3, ["name"] = name, ["value"] = value });
        return command;
    }

    /// <summary>A service of the running bot.</summary>
    public static T GetRequiredServiceOf<T>(this IServiceProvider services) where T : notnull => services.GetRequiredService<T>();

    /// <summary>Moves a command into <see cref="ThreadId"/> (its partial channel naming the parent).</summary>
    public static JsonObject InThread(this JsonObject command)
    {
        command["channel_id"] = ThreadId;
        command["channel"]!["id"] = ThreadId;
        command["channel"]!["type"] = 11;
        command["channel"]!["parent_id"] = DiscordHarness.GuildChannel;
        return command;
    }

    /// <summary>Makes a command an autocomplete (type 4) with <paramref name="option"/> focused and holding what was typed.</summary>
    public static JsonObject Autocomplete(this JsonObject command, string option, string typed)
    {
        command["type"] = 4;
        var data = command["data"]!;
        var options = data["options"]![0]!["type"]!.GetValue<int>() == 1 ? data["options"]![0]!["options"]!.AsArray() : data["options"]!.AsArray();
        foreach (var o in options)
        {
            if (o!["name"]!.GetValue<string>() == option)
            {
                o["value"] = typed;
                o["focused"] = true;
            }
        }

        return command;
    }

    /// <summary>Sends the interaction and waits for the bot's callback.</summary>
    public static async Task<FakeInteraction> RunAsync(DiscordHarness bot, JsonObject interaction)
    {
        await bot.Discord.SendInteractionAsync(interaction);
        return await Interactions.RespondedAsync(bot, interaction);
    }

    /// <summary>The changes made by command at a place (what was stored).</summary>
    public static Task<IReadOnlyList<PlaceSettingChange>> HistoryAsync(DiscordHarness bot, string placeId, PlaceKind kind = PlaceKind.Channel) =>
        bot.Services.GetRequiredService<PlaceSettings>().HistoryAsync(new Place(placeId, kind));

    /// <summary>Asserts an answer is ephemeral and pings nobody, and gives its text.</summary>
    public static string EphemeralText(FakeInteraction answer)
    {
        Assert.Equal(4, answer.CallbackType);
        Assert.True(answer.Ephemeral);
        Assert.Equal("[]", answer.CallbackData?["allowed_mentions"]?["parse"]?.ToJsonString());
        return answer.Content ?? answer.Embeds[0]["description"]!.GetValue<string>();
    }

    /// <summary>The line of a <c>/settings show</c> answer about one setting.</summary>
    public static string Line(string show, string setting) =>
        Assert.Single(show.Split('\n'), l => l.StartsWith($"• {setting}: ", StringComparison.Ordinal));

    private static JsonArray Options(IEnumerable<(string Name, string Value)> options) =>
        [.. options.Select(o => (JsonNode)new JsonObject { ["type"] = 3, ["name"] = o.Name, ["value"] = o.Value })];
}
