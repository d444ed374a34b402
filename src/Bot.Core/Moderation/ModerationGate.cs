using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Infrastructure;
using Bot.Core.Replies;
using Bot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Bot.Core.Moderation;

/// <summary>A turn the moderation gate stops: what the user is told, and the status its inbox messages get.</summary>
internal sealed record ModerationRefusal(ReplyEnding Ending, InboxStatus InboxStatus);

/// <summary>
/// Checks a turn's text and images before anything of it leaves for the assistant. Flagged input is refused with a
/// neutral sentence, recorded per author (categories only), and announced to the operators best effort. When the check
/// itself fails, <see cref="ModerationOptions.FailClosed"/> decides: the turn goes on (a warning once per run of
/// failures) or the user is asked to try again later. The message text is never logged. Images are read through the
/// channel within <paramref name="attachments"/>' image limit; one that cannot be read is not checked, and the turn goes on.
/// </summary>
public sealed class ModerationGate(
    ModerationOptions options,
    IInputModeration? moderation,
    IModerationLog? events,
    IEnumerable<IModerationAlerts> alerts,
    TimeProvider time,
    ILogger<ModerationGate> logger,
    AttachmentOptions? attachments = null)
{
    private readonly ModerationImages _images = new((attachments ?? new AttachmentOptions()).MaxImageBytes, logger);

    public const string RefusedSentence = "I can't help with that message.";

    public const string NotCheckedSentence = "⚠️ Your message could not be checked right now, so I didn't send it on. Please try again later.";

    private int _failing;

    /// <summary>True when moderation is on and an implementation is registered.</summary>
    public bool IsActive => options.Enabled && moderation is not null;

    /// <summary>Null when the turn may go on.</summary>
    internal async Task<ModerationRefusal?> CheckAsync(ConversationKey key, IChatChannel channel, IReadOnlyList<IncomingMessage> messages,
        CancellationToken cancellationToken)
    {
        if (!IsActive)
            return null;
        var inputs = new List<(IncomingMessage Message, ModerationInput Input)>();
        foreach (var message in messages)
        {
            if (!string.IsNullOrWhiteSpace(message.Text))
                inputs.Add((message, ModerationInput.OfText(message.Text)));
            await _images.AddAsync(channel, message, inputs, cancellationToken).ConfigureAwait(false);
        }

        if (inputs.Count == 0)
            return null;

        IReadOnlyList<ModerationVerdict> verdicts;
        try
        {
            verdicts = await moderation!.CheckAsync([.. inputs.Select(i => i.Input)], options.Model, cancellationToken).ConfigureAwait(false);
        }
        catch (ModerationUnavailableException ex)
        {
            return Unavailable(key, ex);
        }

        if (Interlocked.Exchange(ref _failing, 0) == 1)
            Log.ModerationRecovered(logger);

        // A message whose text and image were both flagged is one event, with the categories of both.
        var flagged = inputs.Zip(verdicts).Where(pair => pair.Second.Flagged)
            .GroupBy(pair => pair.First.Message, pair => pair.Second.Categories)
            .ToList();
        if (flagged.Count == 0)
            return null;

        foreach (var group in flagged)
        {
            var message = group.Key;
            IReadOnlyList<string> categories = [.. group.SelectMany(c => c).Distinct(StringComparer.Ordinal)];
            Log.InputFlagged(logger, key, message.MessageId, message.Author.Id, string.Join(",", categories));
            await RecordAsync(key, message, categories).ConfigureAwait(false);
            Alert(new ModerationAlert(key, message.Author.Id, message.Author.DisplayName, categories));
        }

        return new ModerationRefusal(new ReplyEnding(ReplyEndingKind.Flagged, RefusedSentence), InboxStatus.Refused);
    }

    private ModerationRefusal? Unavailable(ConversationKey key, ModerationUnavailableException ex)
    {
        if (options.FailClosed)
        {
            Log.ModerationUnavailableClosed(logger, key, ex);
            return new ModerationRefusal(new ReplyEnding(ReplyEndingKind.NotChecked, NotCheckedSentence), InboxStatus.Failed);
        }

        // Failing open: one warning for a run of failures, not one per message while the endpoint is down.
        if (Interlocked.Exchange(ref _failing, 1) == 0)
            Log.ModerationUnavailableOpen(logger, key, ex);
        return null;
    }

    // The refusal does not depend on the record: a store failure is logged and the user is refused all the same.
    private async Task RecordAsync(ConversationKey key, IncomingMessage message, IReadOnlyList<string> categories)
    {
        if (events is null)
            return;
        try
        {
            await events.RecordModerationEventAsync(
                new ModerationEventRecord(key.Channel, message.Author.Id, key.ConversationId, categories, time.GetUtcNow()), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ModerationRecordFailed(logger, key, ex);
        }
    }

    private void Alert(ModerationAlert alert)
    {
        foreach (var target in alerts)
            BackgroundWork.Run(() => target.NotifyAsync(alert), logger, "moderation alert");
    }
}
