namespace Bot.Core.Places;

/// <summary>What a text command asks for.</summary>
public enum SettingsCommandKind
{
    /// <summary><c>settings show</c>: every setting in force here, with where it comes from.</summary>
    Show,
    /// <summary><c>settings set &lt;name&gt; &lt;value…&gt;</c>.</summary>
    Set,
    /// <summary><c>settings clear &lt;name&gt;</c>.</summary>
    Clear,
    /// <summary><c>settings history</c>: the latest changes made by command here.</summary>
    History,
    /// <summary><c>model &lt;name&gt;</c>: <c>settings set Model &lt;name&gt;</c> in short.</summary>
    Model,
    /// <summary><c>usage</c>: the user's own usage (and for admins the place's).</summary>
    Usage,
    /// <summary>Meant as a command but not well formed: <see cref="SettingsCommand.Value"/> says how to write it.</summary>
    Invalid,
}

/// <summary>
/// A text command typed to the bot (Teams, the terminal): <c>settings show</c>, <c>settings set &lt;name&gt;
/// &lt;value…&gt;</c>, <c>settings clear &lt;name&gt;</c>, <c>settings history</c>, <c>model &lt;name&gt;</c> and
/// <c>usage</c>, with or without a leading <c>/</c>, case-insensitive; a value is the rest of the text. A leading
/// <c>team</c> (<c>team settings set Model gpt-x</c>, <c>team model gpt-x</c>) addresses the place one level out: in
/// Teams the team of a channel. Text that only starts like a command (<c>settings for my router?</c>) is not one,
/// unless it starts with <c>/</c>.
/// </summary>
public sealed record SettingsCommand(SettingsCommandKind Kind, string? Name = null, string? Value = null, bool Outer = false, bool Slash = false)
{
    /// <summary>The commands in one line, for a usage hint.</summary>
    public const string Help =
        "Commands: `settings show`, `settings set <name> <value>`, `settings clear <name>`, `settings history`, `model <name>`, `usage`; " +
        "put `team` in front to address the team instead of this channel (`team settings show`).";

    private static readonly char[] s_spaces = [' ', '\t', '\r', '\n'];

    /// <summary>True for the commands only admins may use (every one but <c>usage</c>).</summary>
    public bool IsAdminOnly => Kind is not (SettingsCommandKind.Usage or SettingsCommandKind.Invalid);

    /// <summary>True when the command changes a setting.</summary>
    public bool Changes => Kind is SettingsCommandKind.Set or SettingsCommandKind.Clear or SettingsCommandKind.Model;

    /// <summary>Reads <paramref name="text"/> (the bot's mention already removed) as a command; false: an ordinary message.</summary>
    public static bool TryParse(string? text, out SettingsCommand command)
    {
        command = null!;
        var rest = (text ?? "").Trim();
        var slash = rest.StartsWith('/');
        if (slash)
            rest = rest[1..].TrimStart();

        var word = NextWord(ref rest);
        var outer = false;
        if (word.Equals("team", StringComparison.OrdinalIgnoreCase))
        {
            outer = true;
            var peek = rest;
            var next = NextWord(ref peek).TrimStart('/');
            if (!next.Equals("settings", StringComparison.OrdinalIgnoreCase) && !next.Equals("model", StringComparison.OrdinalIgnoreCase))
                return false; // "team spirit is…"
            word = next;
            rest = peek;
        }

        SettingsCommand? parsed = word.ToLowerInvariant() switch
        {
            "usage" => rest.Length == 0 && !outer ? new(SettingsCommandKind.Usage) : Invalid(slash, "Write `usage` alone."),
            "model" => ParseModel(rest, slash),
            "settings" => ParseSettings(rest, slash),
            _ => null,
        };
        if (parsed is null)
            return false;
        command = parsed with { Outer = outer, Slash = slash };
        return true;
    }

    private static SettingsCommand? ParseModel(string rest, bool slash)
    {
        var name = NextWord(ref rest);
        if (name.Length > 0 && rest.Length == 0)
            return new(SettingsCommandKind.Model, SettingNames.Model, name);
        return Invalid(slash, "Write `model <name>`, for example `model gpt-5-mini`.");
    }

    private static SettingsCommand? ParseSettings(string rest, bool slash)
    {
        var verb = NextWord(ref rest).ToLowerInvariant();
        switch (verb)
        {
            case "show" or "history":
                return rest.Length == 0
                    ? new(verb == "show" ? SettingsCommandKind.Show : SettingsCommandKind.History)
                    : Invalid(slash, $"Write `settings {verb}` alone.");
            case "clear":
                var cleared = NextWord(ref rest);
                return cleared.Length > 0 && rest.Length == 0
                    ? new(SettingsCommandKind.Clear, cleared)
                    : Invalid(slash, "Write `settings clear <name>`, for example `settings clear Model`.");
            case "set":
                var name = NextWord(ref rest);
                if (name.Length > 0 && rest.Length > 0)
                    return new(SettingsCommandKind.Set, name, rest);
                // "settings set Model" is a command missing its value, slash or not.
                return name.Length > 0 ? new(SettingsCommandKind.Invalid, Value: SetHint) : Invalid(slash, SetHint);
            default:
                return Invalid(slash, Help);
        }
    }

    private const string SetHint = "Write `settings set <name> <value>`, for example `settings set Tools.WebSearch off`.";

    /// <summary>
    /// Runs a <c>settings</c> or <c>model</c> command: reads or changes the settings of <paramref name="target"/> (the
    /// conversation's nearest place, or one further out of <paramref name="path"/>), and gives the answer's text.
    /// </summary>
    /// <param name="settings">The per-place settings.</param>
    /// <param name="path">Where the conversation lives.</param>
    /// <param name="target">The place the command reads or changes: one of <paramref name="path"/>'s levels.</param>
    /// <param name="changedBy">Who changes it, <c>channel:userId</c>, for the history.</param>
    /// <param name="cancellationToken">Cancels the store's work.</param>
    public async Task<string> RunAsync(PlaceSettings settings, PlacePath path, Place target, string changedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(target);
        var index = path.Levels.ToList().FindIndex(l => l.Id == target.Id);
        if (index < 0)
            throw new ArgumentException("The target is not a level of the path.", nameof(target));
        var where = index == path.Levels.Count - 1 ? "" : $" (for the whole {SettingsText.KindName(target.Kind)})";
        switch (Kind)
        {
            case SettingsCommandKind.Show:
                var upToTarget = new PlacePath([.. path.Levels.Take(index + 1)]);
                return SettingsText.Show(await settings.ResolveAsync(upToTarget, cancellationToken).ConfigureAwait(false), settings.Definitions);
            case SettingsCommandKind.History:
                return SettingsText.History(target, await settings.HistoryAsync(target, cancellationToken: cancellationToken).ConfigureAwait(false));
            case SettingsCommandKind.Set or SettingsCommandKind.Model:
                var set = await settings.SetAsync(target, Name!, Value!, changedBy, cancellationToken).ConfigureAwait(false);
                return set.Succeeded ? set.Message + where : set.Message;
            case SettingsCommandKind.Clear:
                var clear = await settings.ClearAsync(target, Name!, changedBy, cancellationToken).ConfigureAwait(false);
                return clear.Succeeded ? clear.Message + where : clear.Message;
            case SettingsCommandKind.Invalid:
                return Value!;
            default:
                throw new InvalidOperationException("Usage is shown by the channel (UsageReports).");
        }
    }

    // Without a slash, text that does not fit a command is an ordinary message for the assistant.
    private static SettingsCommand? Invalid(bool slash, string hint) => slash ? new(SettingsCommandKind.Invalid, Value: hint) : null;

    // The first word of rest (split at spaces, tabs and line breaks); rest becomes what follows it, trimmed.
    private static string NextWord(ref string rest)
    {
        var end = rest.IndexOfAny(s_spaces);
        var word = end < 0 ? rest : rest[..end];
        rest = end < 0 ? "" : rest[end..].Trim();
        return word;
    }
}
