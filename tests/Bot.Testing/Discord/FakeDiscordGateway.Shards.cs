using System.Globalization;
using System.Text.Json.Nodes;

namespace Bot.Testing.Discord;

/// <summary>An IDENTIFY the fake accepted: when, and for which shard.</summary>
public sealed record FakeIdentify(DateTimeOffset At, int ShardId, int ShardCount, int Connection);

/// <summary>
/// The fake gateway's shards: a session, sequence and event log per shard, routing by guild, RESUME by session id,
/// and Discord's identify rule (one IDENTIFY per max_concurrency bucket per window, per bot: too early gets op 9).
/// </summary>
public sealed partial class FakeDiscordGateway
{
    private readonly Dictionary<int, ShardState> _shards = [];
    private readonly List<FakeIdentify> _accepted = [];
    private readonly List<string> _guilds = [];
    private readonly Dictionary<int, DateTimeOffset> _bucketIdentifiedAt = [];
    private int _shardCount = 1;
    private int _identifiesTooFast;

    /// <summary>The shard count GET /gateway/bot recommends (default 1).</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary>session_start_limit.max_concurrency in GET /gateway/bot (default 1).</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>
    /// Null (default): identifies are not rate limited. Set: an IDENTIFY less than this after the last accepted one of its
    /// bucket (shard id % <see cref="MaxConcurrency"/>), from any connection, gets op 9 (d: false), as Discord does.
    /// </summary>
    public TimeSpan? IdentifyWindow { get; set; }

    /// <summary>Identifies refused for coming too soon in their bucket.</summary>
    public int IdentifiesTooFast => Volatile.Read(ref _identifiesTooFast);

    /// <summary>Every IDENTIFY the fake accepted, in order.</summary>
    public IReadOnlyList<FakeIdentify> AcceptedIdentifies { get { lock (_lock) return [.. _accepted]; } }

    /// <summary>The guilds the bot is in (a GUILD_CREATE for each after its shard's READY): the fake's own, plus <see cref="AddGuild"/>'s.</summary>
    public IReadOnlyList<string> GuildIds { get { lock (_lock) return [server.GuildId, .. _guilds]; } }

    /// <summary>The shard Discord routes a guild's events to.</summary>
    public static int ShardOf(string guildId, int shardCount) =>
        (int)((ulong.Parse(guildId, CultureInfo.InvariantCulture) >> 22) % (ulong)shardCount);

    /// <summary>A new guild id (made up, snowflake-shaped) whose events go to <paramref name="shardId"/> of <paramref name="shardCount"/>; the bot is in it.</summary>
    public string AddGuild(int shardId, int shardCount)
    {
        var high = (ulong.Parse(server.GuildId, CultureInfo.InvariantCulture) >> 22) + 1;
        lock (_lock)
        {
            high += (ulong)(_guilds.Count * shardCount);
            while ((int)(high % (ulong)shardCount) != shardId)
                high++;
            var id = ((high << 22) | 4242).ToString(CultureInfo.InvariantCulture);
            _guilds.Add(id);
            return id;
        }
    }

    /// <summary>True while a connection of the shard is identified or resumed and receives its dispatches.</summary>
    public bool IsShardLive(int shardId)
    {
        lock (_lock)
            return _shards.TryGetValue(shardId, out var state) && state.Current is { Live: true };
    }

    /// <summary>The shard's session id (null: never identified).</summary>
    public string? SessionOf(int shardId)
    {
        lock (_lock)
            return _shards.GetValueOrDefault(shardId)?.SessionId;
    }

    /// <summary>Ends the shard's session on Discord's side (as when it timed out): a RESUME of it gets op 9 (d: false) from now on.</summary>
    public void ExpireSession(int shardId)
    {
        lock (_lock)
        {
            if (_shards.TryGetValue(shardId, out var state))
                state.SessionId = null;
        }
    }

    /// <summary>Drops the shard's connection without a close frame (its session stays resumable), as when its process dies.</summary>
    public void DropShard(int shardId)
    {
        Connection? connection;
        lock (_lock)
        {
            connection = _shards.GetValueOrDefault(shardId)?.Current;
            if (connection is not null)
                connection.Live = false;
        }

        connection?.Socket.Abort();
    }

    /// <summary>Sends a dispatch to one shard with its next sequence number; kept for that shard's replay after a resume.</summary>
    public Task<long> DispatchToShardAsync(int shardId, string type, JsonNode data)
    {
        Connection? target;
        long seq;
        string json;
        lock (_lock)
        {
            var state = Shard(shardId);
            seq = ++state.Sequence;
            json = new JsonObject { ["t"] = type, ["s"] = seq, ["op"] = 0, ["d"] = data.DeepClone() }.ToJsonString();
            state.Events.Add((seq, json));
            target = state.Current is { Live: true } ? state.Current : null;
        }

        return target is null ? Task.FromResult(seq) : SendThenAsync(target, json, seq);
    }

    private int ShardOf(JsonNode data)
    {
        var guildId = data is JsonObject o && o["guild_id"] is JsonValue g && g.TryGetValue<string>(out var id) ? id : null;
        lock (_lock)
            return guildId is null ? 0 : ShardOf(guildId, _shardCount);
    }

    private bool TryTakeIdentifySlot(int shardId)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            var bucket = shardId % Math.Max(1, MaxConcurrency);
            if (IdentifyWindow is { } window && _bucketIdentifiedAt.TryGetValue(bucket, out var last) && now - last < window)
            {
                _identifiesTooFast++;
                return false;
            }

            _bucketIdentifiedAt[bucket] = now;
            return true;
        }
    }

    // A new session for the shard: its events and sequence start afresh, and this connection receives them.
    private string StartSession(Connection connection, int shardId, int shardCount)
    {
        lock (_lock)
        {
            _shardCount = shardCount;
            var state = Shard(shardId);
            if (state.Current is { } old && old != connection)
                old.Live = false;
            state.SessionId = Guid.NewGuid().ToString("N");
            state.Sequence = 0;
            state.Events.Clear();
            state.Current = connection;
            connection.Shard = shardId;
            connection.Live = true;
            _accepted.Add(new FakeIdentify(DateTimeOffset.UtcNow, shardId, shardCount, connection.Number));
            return state.SessionId;
        }
    }

    // The session's shard takes this connection and gets the events after seq replayed; null when the session is unknown
    // (or was replaced by a new IDENTIFY) or seq is ahead of it.
    private (int Shard, List<string> Replay)? TryResume(Connection connection, string? sessionId, long seq)
    {
        lock (_lock)
        {
            var (shardId, state) = _shards.FirstOrDefault(s => sessionId is not null && s.Value.SessionId == sessionId);
            if (state is null || seq > state.Sequence)
                return null;
            if (state.Current is { } old && old != connection)
                old.Live = false;
            state.Current = connection;
            connection.Shard = shardId;
            connection.Live = true;
            return (shardId, [.. state.Events.Where(e => e.Seq > seq).Select(e => e.Json)]);
        }
    }

    private ShardState Shard(int shardId)
    {
        if (!_shards.TryGetValue(shardId, out var state))
            _shards[shardId] = state = new ShardState();
        return state;
    }

    private static async Task<long> SendThenAsync(Connection connection, string json, long seq)
    {
        await connection.SendAsync(json).ConfigureAwait(false);
        return seq;
    }

    private sealed class ShardState
    {
        public string? SessionId { get; set; }

        public long Sequence { get; set; }

        public List<(long Seq, string Json)> Events { get; } = [];

        public Connection? Current { get; set; }
    }
}
