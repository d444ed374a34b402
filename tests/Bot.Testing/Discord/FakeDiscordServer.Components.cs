using System.Text.Json.Nodes;

namespace Bot.Testing.Discord;

/// <summary>The fake's checks of message components (buttons in action rows), as Discord documents them.</summary>
public sealed partial class FakeDiscordServer
{
    private const int ActionRow = 1, ButtonComponent = 2, LinkStyle = 5;

    /// <summary>
    /// Why Discord would refuse these components, or null: at most 5 action rows of at most 5 buttons; a button has a
    /// style from 1 to 5, a label of at most 80 characters, and (except a link) a custom_id of 1 to 100 characters that
    /// no other component of the message has.
    /// </summary>
    internal static string? ComponentError(JsonNode? components)
    {
        if (components is null)
            return null;
        if (components is not JsonArray rows || rows.Count > 5)
            return "components: at most 5 action rows.";
        var customIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row?["type"]?.GetValue<int>() != ActionRow || row["components"] is not JsonArray buttons || buttons.Count is < 1 or > 5)
                return "components: each top-level component must be an action row of 1 to 5 components.";
            foreach (var button in buttons)
            {
                if (button?["type"]?.GetValue<int>() != ButtonComponent)
                    continue;
                var style = button["style"]?.GetValue<int>() ?? 0;
                var label = button["label"]?.GetValue<string>() ?? "";
                var customId = button["custom_id"]?.GetValue<string>();
                if (style is < 1 or > 5 || label.Length > 80)
                    return "components: a button needs a style from 1 to 5 and a label of at most 80 characters.";
                if (style == LinkStyle)
                    continue;
                if (customId is not { Length: >= 1 and <= 100 })
                    return "components.custom_id: Must be between 1 and 100 in length.";
                if (!customIds.Add(customId))
                    return "components.custom_id: Component custom id cannot be duplicated.";
            }
        }

        return null;
    }
}
