using Bot.Core.Places;

namespace Bot.Host.Terminal;

/// <summary>
/// <c>/usage</c>, <c>/settings …</c> and <c>/model …</c> at the prompt. The operator at the terminal is the admin of its
/// one place, <c>terminal</c>; a command is not a turn (no assistant call, no budget).
/// </summary>
internal sealed partial class TerminalChatService
{
    private static readonly PlacePath Here = PlacePath.Of(Place.Terminal);

    private async Task<string> CommandAsync(SettingsCommand command, CancellationToken cancellationToken)
    {
        if (command.Kind == SettingsCommandKind.Usage)
        {
            var user = await usage.ForUserAsync(TerminalChannel.ChannelName, UserId, Here, cancellationToken);
            var place = await usage.ForPlaceAsync(Here, cancellationToken);
            return SettingsText.Usage(user, place, time.GetUtcNow());
        }

        if (command.Outer)
            return "The terminal is one place; leave out `team`.";
        return await command.RunAsync(settings, Here, Place.Terminal, $"{TerminalChannel.ChannelName}:{UserId}", cancellationToken);
    }
}
