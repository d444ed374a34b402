using Npgsql;

namespace Bot.Benchmarks;

/// <summary>What the shared database says about a cluster run (<see cref="ClusterBench"/>).</summary>
internal static class ClusterChecks
{
    private const string Unsettled = "status IN ('Accepted', 'Processing')";

    /// <summary>Waits until no message is waiting or being answered; false on timeout.</summary>
    public static async Task<bool> WaitUntilSettledAsync(string database, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await CountAsync(database, $"SELECT count(*) FROM inbox WHERE {Unsettled}") == 0)
                return true;
            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>
    /// How long after <paramref name="killedAt"/> every message of <paramref name="conversations"/> stored before then had
    /// been answered or closed (null on timeout).
    /// </summary>
    public static async Task<TimeSpan?> SettledAfterKillAsync(string database, IReadOnlyList<string> conversations, DateTimeOffset killedAt,
        TimeSpan timeout)
    {
        var sql = $"SELECT count(*) FROM inbox WHERE {Unsettled} AND chat_conversation_id = ANY(@conversations) AND accepted_at_ms <= @killed";
        while (DateTimeOffset.UtcNow - killedAt < timeout)
        {
            if (await CountAsync(database, sql, ("conversations", conversations.ToArray()), ("killed", killedAt.ToUnixTimeMilliseconds())) == 0)
                return DateTimeOffset.UtcNow - killedAt;
            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>The conversations whose lease <paramref name="instanceId"/> holds.</summary>
    public static async Task<IReadOnlyList<string>> LeasedByAsync(string database, string instanceId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT chat_conversation_id FROM conversation_leases WHERE owner_instance_id = @owner", connection);
        command.Parameters.AddWithValue("owner", instanceId);
        var held = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            held.Add(reader.GetString(0));
        return held;
    }

    public static async Task<StoreFacts> ReadAsync(string database) => new(
        await CountAsync(database, "SELECT count(*) FROM inbox WHERE status = 'Answered'"),
        await CountAsync(database, "SELECT count(*) FROM inbox i JOIN turns t ON t.id = i.turn_id WHERE t.status = 'Interrupted'"),
        // A turn that started before the previous turn of its conversation had finished: two responses at once.
        await CountAsync(database,
            "SELECT count(*) FROM (SELECT started_at_ms, lag(finished_at_ms) OVER (PARTITION BY conversation_id ORDER BY started_at_ms, id) AS previous " +
            "FROM turns) t WHERE previous IS NOT NULL AND started_at_ms < previous"),
        // A message answered in a turn that started before the turn of a message stored earlier in its conversation.
        await CountAsync(database,
            "SELECT count(*) FROM (SELECT t.started_at_ms, lag(t.started_at_ms) OVER (PARTITION BY i.channel, i.chat_conversation_id ORDER BY i.id) AS previous " +
            "FROM inbox i JOIN turns t ON t.id = i.turn_id) x WHERE previous IS NOT NULL AND started_at_ms < previous"));

    private static async Task<int> CountAsync(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Counts read from the database after a cluster run.</summary>
internal sealed record StoreFacts(int Answered, int InInterruptedTurns, int ConcurrentTurns, int OutOfOrder);
