using Bot.Core.Places;
using Bot.Core.Usage;
using Bot.Teams.Connector;
using Bot.Teams.Replies;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.Adapter;

/// <summary>
/// The text commands in Teams (<see cref="SettingsCommand"/>): <c>settings …</c> and <c>model …</c> for the people in
/// <see cref="TeamsOptions.AdminUserIds"/> (everyone else gets one refusal sentence and nothing is stored), <c>usage</c>
/// for everyone as a card (admins see the place's totals too). A command is not a turn: it never reaches the assistant
/// and costs no budget. <c>team …</c> addresses the team of a channel.
/// </summary>
internal sealed class TeamsCommands(PlaceSettings settings, UsageReports usage, ConnectorClient connector, TeamsOptions options, TimeProvider time,
    ILogger<TeamsCommands> logger)
{
    public const string NotAdmin = "Only the bot's admins (Teams:AdminUserIds) can show or change its settings.";
    public const string NoTeam = "This conversation is not in a team's channel, so there is no team to set: leave out `team`.";

    public async Task RunAsync(SettingsCommand command, Activity activity, ReplyAddress address, PlacePath path, CancellationToken cancellationToken)
    {
        var from = activity.From!;
        var admin = TeamsPlaces.IsListed(options.AdminUserIds, from);
        JsonObject reply;
        if (command.Kind == SettingsCommandKind.Usage)
        {
            var user = await usage.ForUserAsync(TeamsChannel.ChannelName, from.Id!, path, cancellationToken).ConfigureAwait(false);
            var place = admin ? await usage.ForPlaceAsync(path, cancellationToken).ConfigureAwait(false) : null;
            reply = UsageCard.Activity(address, user, place, time.GetUtcNow());
        }
        else
        {
            reply = OutgoingActivities.Message(address, await TextAsync(command, from, admin, path, cancellationToken).ConfigureAwait(false));
        }

        await connector.SendAsync(address.ServiceUrl, address.ConversationId, reply, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> TextAsync(SettingsCommand command, ChannelAccount from, bool admin, PlacePath path, CancellationToken cancellationToken)
    {
        if (command.Kind == SettingsCommandKind.Invalid)
            return command.Value!;
        if (!admin)
        {
            Log.CommandRefused(logger, from.Id, path.Nearest.Id);
            return NotAdmin;
        }

        var target = command.Outer ? path.Levels.LastOrDefault(l => l.Kind == PlaceKind.Team) : path.Nearest;
        if (target is null)
            return NoTeam;
        var text = await command.RunAsync(settings, path, target, TeamsPlaces.Prefix + (from.AadObjectId ?? from.Id), cancellationToken).ConfigureAwait(false);
        if (command.Changes)
            Log.SettingsCommand(logger, from.AadObjectId, command.Kind.ToString(), command.Name, target.Id);
        // Teams' Markdown joins single line breaks; a blank line keeps one item per line.
        return text.Replace("\n", "\n\n", StringComparison.Ordinal);
    }
}
