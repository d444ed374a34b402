using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Conversations;

/// <summary>Per-user budgets checked before each turn (configuration section <c>Budgets</c>); 0 = no limit.</summary>
public sealed class BudgetOptions
{
    public const string SectionName = "Budgets";

    /// <summary>Most tokens (input + output, as the backend reports them) one user may use per UTC day.</summary>
    [Range(0, long.MaxValue)]
    public long PerUserDailyTokens { get; set; }

    /// <summary>Most tokens one user may use per calendar month (UTC).</summary>
    [Range(0, long.MaxValue)]
    public long PerUserMonthlyTokens { get; set; }

    /// <summary>
    /// Most tokens one place may use per UTC day, all its users together: the Discord server, the Teams team or chat,
    /// the DM (<see cref="Places.PlacePath.Community"/>); a place that sets its own limit counts itself.
    /// </summary>
    [Range(0, long.MaxValue)]
    public long PerPlaceDailyTokens { get; set; }

    /// <summary>Most tokens one place may use per calendar month (UTC).</summary>
    [Range(0, long.MaxValue)]
    public long PerPlaceMonthlyTokens { get; set; }

    /// <summary>Most tokens one tenant may use per calendar month (UTC): a Teams tenant, or a Discord server.</summary>
    [Range(0, long.MaxValue)]
    public long PerTenantMonthlyTokens { get; set; }

    /// <summary>Most messages one user may send the bot in any 60 seconds (counted in memory, per bot process).</summary>
    [Range(0, 10_000)]
    public int PerUserMessagesPerMinute { get; set; }

    /// <summary>
    /// Users no budget applies to (their usage is still recorded): a plain id ("123456") matches that id on every
    /// channel, a channel-qualified one ("discord:123456") only on that channel.
    /// </summary>
    public IList<string> ExemptUserIds { get; } = [];
}
