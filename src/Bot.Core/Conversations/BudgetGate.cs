using Bot.Core.Places;
using Bot.Core.Storage;

namespace Bot.Core.Conversations;

/// <summary>
/// Decides before a turn whether its user, its place and its tenant may still spend (<see cref="BudgetOptions"/> and the
/// limits in force at the place), and records what a finished turn spent in the usage ledger, for the user and every
/// level of the place path. Token budgets are read from the ledger, so they hold across restarts and instances; the
/// message rate is a sliding window kept in memory by this process.
/// </summary>
/// <remarks>
/// A turn is charged to the author of its last message (several coalesced messages are rare and usually one user's).
/// The check happens before the turn, so a turn that crosses a limit finishes and the next one is refused. Without a
/// ledger (a composition with no store that keeps one) token budgets are not checked and nothing is recorded.
/// </remarks>
public sealed partial class BudgetGate(BudgetOptions options, IUsageLedger? ledger, TimeProvider time)
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    // Keyed "channel:user"; each queue holds when the user's admitted messages arrived, oldest first.
    private readonly Dictionary<string, Queue<DateTimeOffset>> _recent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exempt = new(options.ExemptUserIds.Where(id => id.Length > 0), StringComparer.Ordinal);

    /// <summary>
    /// Checks a turn of <paramref name="messages"/> messages by <paramref name="userId"/> against the per-user limits of
    /// <see cref="BudgetOptions"/> and the message rate: null when it may run (its messages then count towards the rate),
    /// or the one sentence that tells the user which limit is reached and when it resets.
    /// </summary>
    public Task<string?> CheckAsync(string channel, string userId, int messages, CancellationToken cancellationToken = default) =>
        CheckAsync(channel, userId, messages, null, cancellationToken);

    /// <summary>
    /// Checks a turn at a place: the per-user and per-place limits in force there (<paramref name="place"/>, so a place
    /// may override them; null: the per-user limits of <see cref="BudgetOptions"/> alone), the tenant's monthly limit
    /// (<see cref="PlacePath.Tenant"/>), and the message rate. Exempt users are never refused. Only owners with a limit
    /// are read, each once.
    /// </summary>
    public async Task<string?> CheckAsync(string channel, string userId, int messages, EffectiveSettings? place,
        CancellationToken cancellationToken = default)
    {
        if (IsExempt(channel, userId))
            return null;

        var now = time.GetUtcNow();
        if (RateRefusal(channel, userId, now) is { } tooFast)
            return tooFast;

        if (ledger is not null && await TokenRefusalAsync(channel, userId, place, now, cancellationToken).ConfigureAwait(false) is { } overBudget)
            return overBudget;

        Admit(channel, userId, messages, now);
        return null;
    }

    /// <summary>Adds a finished turn's usage to the ledger, on the day it finished (UTC), at the conversation alone.</summary>
    public Task RecordAsync(ConversationKey key, string userId, string model, TokenUsage usage, CancellationToken cancellationToken = default) =>
        RecordAsync(key, new MessageAuthor(userId, ""), PlacePath.OfConversation(key), model, usage, cancellationToken);

    /// <summary>
    /// Adds a finished turn's usage to the ledger, on the day it finished (UTC): for <paramref name="author"/> (with their
    /// display name), at every level of <paramref name="path"/>, for the model the turn used.
    /// </summary>
    public Task RecordAsync(ConversationKey key, MessageAuthor author, PlacePath path, string model, TokenUsage usage,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(path);
        if (ledger is null)
            return Task.CompletedTask;
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var entry = new UsageEntry(key.Channel, author.Id, path.Nearest.Id, model, day, usage)
        {
            PlaceIds = [.. path.Ids],
            DisplayName = author.DisplayName.Length > 0 ? author.DisplayName : null,
        };
        return ledger.RecordUsageAsync(entry, cancellationToken);
    }

    private bool IsExempt(string channel, string userId) =>
        _exempt.Count > 0 && (_exempt.Contains(userId) || _exempt.Contains(channel + ":" + userId));

    private string? RateRefusal(string channel, string userId, DateTimeOffset now)
    {
        var limit = options.PerUserMessagesPerMinute;
        if (limit == 0)
            return null;
        lock (_recent)
        {
            if (!_recent.TryGetValue(channel + ":" + userId, out var arrivals))
                return null;
            Expire(arrivals, now);
            return arrivals.Count >= limit ? BudgetText.RateUsed(limit, arrivals.Peek() + RateWindow - now) : null;
        }
    }

    private void Admit(string channel, string userId, int messages, DateTimeOffset now)
    {
        if (options.PerUserMessagesPerMinute == 0)
            return;
        lock (_recent)
        {
            var key = channel + ":" + userId;
            if (!_recent.TryGetValue(key, out var arrivals))
            {
                // Forget users who have been quiet for a minute before adding one, so the map stays as big as the
                // number of users active in the last minute.
                if (_recent.Count >= 1024)
                    ForgetQuiet(now);
                _recent[key] = arrivals = new Queue<DateTimeOffset>();
            }

            for (var i = 0; i < Math.Max(1, messages); i++)
                arrivals.Enqueue(now);
        }
    }

    private void ForgetQuiet(DateTimeOffset now)
    {
        foreach (var (key, arrivals) in _recent.ToList())
        {
            Expire(arrivals, now);
            if (arrivals.Count == 0)
                _recent.Remove(key);
        }
    }

    private static void Expire(Queue<DateTimeOffset> arrivals, DateTimeOffset now)
    {
        while (arrivals.Count > 0 && arrivals.Peek() + RateWindow <= now)
            arrivals.Dequeue();
    }
}
