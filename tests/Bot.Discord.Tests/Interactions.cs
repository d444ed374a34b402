using System.Text.Json.Nodes;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests;

/// <summary>The recorded interactions (slash command, button click), re-addressed for a test, and waiting for their answers.</summary>
internal static class Interactions
{
    /// <summary>MANAGE_MESSAGES: enough to stop anyone's answer.</summary>
    public const string ModeratorPermissions = "8192";

    /// <summary>VIEW_CHANNEL, SEND_MESSAGES and READ_MESSAGE_HISTORY: an ordinary member.</summary>
    public const string MemberPermissions = "68608";

    /// <summary>The recorded slash command, renamed and moved to the given channel (a guild channel, thread or DM).</summary>
    public static JsonObject Command(DiscordHarness bot, string name, string channelId, int channelType = 0, bool inGuild = true)
    {
        var command = bot.Discord.Fixture("interaction_create_slash_command.json");
        command["id"] = bot.NextMessageId();
        command["data"]!["name"] = name;
        command["data"]!.AsObject().Remove("options");
        command["channel_id"] = channelId;
        command["channel"]!["id"] = channelId;
        command["channel"]!["type"] = channelType;
        if (!inGuild)
        {
            command["user"] = command["member"]!["user"]!.DeepClone();
            command.Remove("member");
            command.Remove("guild_id");
            command.Remove("guild");
            command["context"] = 1;
        }

        return command;
    }

    /// <summary>Sends <see cref="Command"/> and returns it.</summary>
    public static async Task<JsonObject> SendCommandAsync(DiscordHarness bot, string name, string channelId, Action<JsonObject>? change = null)
    {
        var command = Command(bot, name, channelId);
        change?.Invoke(command);
        await bot.Discord.SendInteractionAsync(command);
        return command;
    }

    /// <summary>The recorded button click, on the Stop button of <paramref name="reply"/> in the harness's guild channel.</summary>
    public static JsonObject StopClick(DiscordHarness bot, FakeMessage reply) =>
        ButtonClick(bot, reply, reply.Components[0]!["components"]![0]!["custom_id"]!.GetValue<string>());

    /// <summary>The recorded button click, on a button of <paramref name="reply"/> with this custom_id.</summary>
    public static JsonObject ButtonClick(DiscordHarness bot, FakeMessage reply, string customId)
    {
        var click = bot.Discord.Fixture("interaction_create_button.json");
        click["id"] = bot.NextMessageId();
        click["channel_id"] = reply.ChannelId;
        click["channel"]!["id"] = reply.ChannelId;
        click["channel"]!["type"] = 0;
        click["channel"]!.AsObject().Remove("parent_id");
        click["message"]!["id"] = reply.Id;
        click["data"]!["custom_id"] = customId;
        return click;
    }

    /// <summary>Makes a guild interaction come from another member, with these permissions and roles.</summary>
    public static JsonObject From(this JsonObject interaction, string userId, string permissions, params string[] roleIds)
    {
        var member = interaction["member"]!;
        member["user"]!["id"] = userId;
        member["permissions"] = permissions;
        member["roles"] = new JsonArray([.. roleIds.Select(r => (JsonNode)r)]);
        return interaction;
    }

    /// <summary>Waits until the bot answered the interaction in any way (a click taken off with type 7 has no text).</summary>
    public static async Task<FakeInteraction> RespondedAsync(DiscordHarness bot, JsonObject interaction)
    {
        var id = interaction["id"]!.GetValue<string>();
        await bot.WaitUntilAsync(() => bot.Discord.Interaction(id)?.CallbackType is not null, $"the response to {interaction["data"]!["name"] ?? "the click"}");
        return bot.Discord.Interaction(id)!;
    }

    /// <summary>Waits until the interaction's answer has text (a type-4 response, or the edit after a deferred one).</summary>
    public static async Task<FakeInteraction> AnsweredAsync(DiscordHarness bot, JsonObject interaction)
    {
        var id = interaction["id"]!.GetValue<string>();
        await bot.WaitUntilAsync(() => bot.Discord.Interaction(id)?.Content is not null, $"the answer to {interaction["data"]!["name"] ?? "the click"}");
        return bot.Discord.Interaction(id)!;
    }
}
