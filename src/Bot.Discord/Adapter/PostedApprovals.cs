using Bot.Core.Infrastructure;
using Bot.Core.Tools.Approvals;

namespace Bot.Discord.Adapter;

/// <summary>An approval question the bot posted: which message shows it.</summary>
internal sealed record PostedApproval(ApprovalPrompt Prompt, string ChannelId, string MessageId);

/// <summary>
/// The approval questions whose message still shows buttons. Whoever settles a question first takes it: the click that
/// decided it (and updates the message in its interaction response), or the writer's settle after a timeout. Forgotten
/// after a day at the latest.
/// </summary>
internal sealed class PostedApprovals(TimeProvider time)
{
    private readonly ExpiringMap<string, PostedApproval> _posted = new(TimeSpan.FromDays(1), 10_000, time, StringComparer.Ordinal);

    public void Add(PostedApproval posted) => _posted.AddOrUpdate(posted.Prompt.Id, _ => posted, (_, _) => posted);

    /// <summary>The question's message, for the one caller that gets to update it; null when already taken (or unknown).</summary>
    public PostedApproval? Take(string promptId) =>
        _posted.TryGetValue(promptId, out var posted) && _posted.Remove(promptId) ? posted : null;
}
