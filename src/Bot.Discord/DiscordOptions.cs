using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Bot.Discord;

/// <summary>Who shares a conversation in a guild channel.</summary>
public enum ConversationScope
{
    /// <summary>Everyone in a guild channel talks in one conversation (the default).</summary>
    Channel,
    /// <summary>Each user has a conversation of their own in each guild channel.</summary>
    User,
}

/// <summary>Settings of the Discord channel (configuration section <c>Discord</c>); the channel starts when <see cref="Token"/> is set.</summary>
public sealed class DiscordOptions : IValidatableObject
{
    public const string SectionName = "Discord";

    /// <summary>The bot token from the Developer Portal (Bot page). Empty: the Discord channel does not start.</summary>
    public string? Token { get; set; }

    /// <summary>REST base address (default https://discord.com/api/v10).</summary>
    public string RestBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Gateway address; empty: the one <c>GET /gateway/bot</c> names.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>This process's shard (default 0) when <see cref="ShardIds"/> is empty: one process per shard, set by hand.</summary>
    [Range(0, 100_000)]
    public int ShardId { get; set; }

    /// <summary>
    /// Number of shards of the bot: a number (default 1), or <c>auto</c> for the count GET /gateway/bot recommends
    /// (only with <see cref="ShardIds"/> = <c>auto</c>).
    /// </summary>
    public string ShardCount { get; set; } = "1";

    /// <summary>
    /// Empty (default): this process runs <see cref="ShardId"/>. <c>auto</c>: the instances on one store lease the shard
    /// ids among themselves, each up to its fair share, and take over (RESUME) a silent instance's shards after
    /// <c>Cluster:LeaseTimeout</c>.
    /// </summary>
    public string? ShardIds { get; set; }

    /// <summary>
    /// False (default): the instances on one store share Discord's global REST budget (50 requests/s per bot), each
    /// using its share. True: <see cref="RestBaseUrl"/> is a rate-limit proxy that all instances share, which keeps
    /// the global budget itself; each instance then uses the whole budget.
    /// </summary>
    public bool SharedRestProxy { get; set; }

    /// <summary>True when the shard ids are leased from the store (<see cref="ShardIds"/> = <c>auto</c>).</summary>
    internal bool AutoShards => string.Equals(ShardIds?.Trim(), Auto, StringComparison.OrdinalIgnoreCase);

    /// <summary>The configured shard count, or null for <c>auto</c> (or a value that is not a count, which validation refuses).</summary>
    internal int? FixedShardCount =>
        int.TryParse(ShardCount, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= 100_000 ? count : null;

    /// <summary>How long after one IDENTIFY in a bucket, anywhere, the next one may start: <see cref="IdentifyInterval"/> plus this margin
    /// for the time between taking the slot and the IDENTIFY reaching Discord (not configurable; tests shorten it).</summary>
    internal TimeSpan IdentifyMargin { get; set; } = TimeSpan.FromMilliseconds(500);

    private const string Auto = "auto";

    /// <summary>Channel (default) or User: one conversation per guild channel, or one per user per guild channel.</summary>
    public ConversationScope ConversationScope { get; set; } = ConversationScope.Channel;

    /// <summary>Shortest time between two edits of one message while an answer streams (default 1 s).</summary>
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Guilds the bot answers in; empty: every guild it is in. Direct messages are governed by <see cref="AllowDirectMessages"/>.</summary>
    public IList<string> AllowedGuildIds { get; } = [];

    /// <summary>Guild channels the bot answers in (a thread counts as its parent channel); empty: every channel.</summary>
    public IList<string> AllowedChannelIds { get; } = [];

    /// <summary>
    /// Whether the bot answers direct messages (default true). Anyone who shares a server with the bot, or adds a
    /// public bot, can DM it, and DMs are outside <see cref="AllowedGuildIds"/> and <see cref="AllowedChannelIds"/>.
    /// </summary>
    public bool AllowDirectMessages { get; set; } = true;

    /// <summary>
    /// Users the bot answers, everywhere (DMs included); a member with one of <see cref="AllowedRoleIds"/> is answered too.
    /// Both empty: everyone.
    /// </summary>
    public IList<string> AllowedUserIds { get; } = [];

    /// <summary>
    /// Roles whose members the bot answers in servers (a server's own id stands for its @everyone role). A DM has no
    /// roles to check: with roles set, a DM is answered only when its author is in <see cref="AllowedUserIds"/>.
    /// </summary>
    public IList<string> AllowedRoleIds { get; } = [];

    /// <summary>Hosts attachments are downloaded from; empty: Discord's CDN (cdn.discordapp.com, media.discordapp.net).</summary>
    public IList<string> AttachmentHosts { get; } = [];

    /// <summary>The hosts attachments may come from: <see cref="AttachmentHosts"/>, or Discord's CDN when none are configured.</summary>
    public IReadOnlyList<string> EffectiveAttachmentHosts =>
        AttachmentHosts.Count > 0 ? [.. AttachmentHosts] : ["cdn.discordapp.com", "media.discordapp.net"];

    /// <summary>
    /// False (default): every message the bot sends or edits carries SUPPRESS_EMBEDS, so Discord does not fetch and
    /// preview the URLs in it (a model can write any URL, and the preview would be fetched without anyone clicking).
    /// True: Discord previews links as usual.
    /// </summary>
    public bool LinkPreviews { get; set; }

    /// <summary>The flags of every message the bot sends or edits: SUPPRESS_EMBEDS unless <see cref="LinkPreviews"/> is on.</summary>
    internal int SentMessageFlags => LinkPreviews ? 0 : Rest.MessageFlags.SuppressEmbeds;

    /// <summary>Largest file the bot uploads (default 10 MiB, Discord's limit for bots); bigger generated files get a one-line note.</summary>
    [Range(1, 500L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>
    /// Most messages kept in memory while the store is unreachable (default 1000): Discord does not deliver a message
    /// again, so they wait here and are stored, then answered in order, once the store is back. When full, the oldest is dropped.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RetryBufferSize { get; set; } = 1000;

    /// <summary>
    /// How long an interaction's work before its first answer (reading settings or usage from the store) may take before
    /// the user is told the store is unreachable: Discord drops an interaction not answered within 3 s (tests shorten it).
    /// </summary>
    internal TimeSpan FirstAnswerLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First wait before a message that could not be stored is tried again (doubling up to 5 s; tests shorten it).</summary>
    internal TimeSpan StoreRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>First wait before reconnecting after a drop (default 1 s); it doubles per failed attempt up to 60 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Shortest time between two Identify calls (default 5 s, Discord's identify concurrency window).</summary>
    public TimeSpan IdentifyInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gives up on a REST request after this long (default 30 s, waits for rate limits included).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a new connection may wait for HELLO before it is given up (not configurable; tests shorten it).</summary>
    internal TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The unit of the pause Discord asks for after a non-resumable INVALID_SESSION (1–5 units; tests shorten it).</summary>
    internal TimeSpan InvalidSessionDelay { get; set; } = TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(RestBaseUrl, UriKind.Absolute, out var rest) || (rest.Scheme != Uri.UriSchemeHttps && rest.Scheme != Uri.UriSchemeHttp))
            yield return new ValidationResult("must be an absolute http(s) URL", [nameof(RestBaseUrl)]);
        if (!string.IsNullOrWhiteSpace(GatewayUrl) &&
            (!Uri.TryCreate(GatewayUrl, UriKind.Absolute, out var gateway) || (gateway.Scheme != "wss" && gateway.Scheme != "ws")))
            yield return new ValidationResult("must be an absolute ws(s) URL", [nameof(GatewayUrl)]);
        var autoCount = string.Equals(ShardCount?.Trim(), Auto, StringComparison.OrdinalIgnoreCase);
        if (!autoCount && FixedShardCount is null)
            yield return new ValidationResult($"must be a number from 1 to 100000, or '{Auto}'", [nameof(ShardCount)]);
        if (!string.IsNullOrWhiteSpace(ShardIds) && !AutoShards)
            yield return new ValidationResult($"must be empty (this process runs ShardId) or '{Auto}'", [nameof(ShardIds)]);
        else if (autoCount && !AutoShards)
            yield return new ValidationResult($"'{Auto}' needs ShardIds = '{Auto}' (one process per shard by hand needs a fixed count)", [nameof(ShardCount)]);
        if (!AutoShards && FixedShardCount is { } count && ShardId >= count)
            yield return new ValidationResult($"must be below ShardCount ({count})", [nameof(ShardId)]);
        if (EditInterval < TimeSpan.FromMilliseconds(100) || EditInterval > TimeSpan.FromMinutes(1))
            yield return new ValidationResult("must be between 00:00:00.1 and 00:01:00", [nameof(EditInterval)]);
        if (ReconnectDelay <= TimeSpan.Zero || IdentifyInterval < TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero)
            yield return new ValidationResult("must be positive", [nameof(ReconnectDelay), nameof(IdentifyInterval), nameof(RequestTimeout)]);
        foreach (var (key, ids) in new[]
                 {
                     (nameof(AllowedGuildIds), AllowedGuildIds), (nameof(AllowedChannelIds), AllowedChannelIds),
                     (nameof(AllowedUserIds), AllowedUserIds), (nameof(AllowedRoleIds), AllowedRoleIds),
                 })
        {
            foreach (var id in ids.Where(id => !ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                yield return new ValidationResult($"'{id}' is not a Discord id (a number)", [key]);
        }

        if (Token?.StartsWith("Bot ", StringComparison.OrdinalIgnoreCase) == true)
            yield return new ValidationResult("must be the token alone, without the 'Bot ' prefix", [nameof(Token)]);
    }
}
