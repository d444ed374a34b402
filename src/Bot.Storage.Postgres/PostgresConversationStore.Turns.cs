using Bot.Core.Backends;
using Bot.Core.Storage;
using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>Turns and the inbox messages they answer (<see cref="ITurnLog"/>).</summary>
public sealed partial class PostgresConversationStore
{
    private const string InsertTurnSql =
        "INSERT INTO turns (conversation_id, status, started_at_ms) VALUES (@conversation_id, @status, @now) RETURNING id;";

    private const string FinishTurnSql =
        "UPDATE turns SET status = @status, first_token_at_ms = @first_token_at_ms, finished_at_ms = @finished_at_ms, " +
        "response_ids = @response_ids, input_tokens = @input_tokens, output_tokens = @output_tokens, error = @error WHERE id = @id;";

    private const string SelectTurnSql =
        "SELECT id, conversation_id, status, started_at_ms, first_token_at_ms, finished_at_ms, response_ids, " +
        "input_tokens, output_tokens, error FROM turns WHERE id = @id;";

    /// <inheritdoc />
    public Task<long> StartTurnAsync(long conversationId, IReadOnlyList<long> inboxIds, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        var ids = inboxIds.ToArray();
        return InTransactionAsync(async (connection, transaction) =>
        {
            await UpdateConversationAsync(connection, transaction, TouchConversationSql, conversationId, now, cancellationToken).ConfigureAwait(false);

            long turnId;
            await using (var insert = Command(connection, transaction, InsertTurnSql,
                ("conversation_id", conversationId), ("status", nameof(TurnStatus.Running)), ("now", now)))
                turnId = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

            await using var move = Command(connection, transaction, MoveInboxIntoTurnSql,
                ("ids", ids), ("status", nameof(InboxStatus.Processing)), ("turn_id", turnId), ("now", now));
            await move.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return turnId;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinishTurnAsync(long turnId, TurnOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var inboxStatus = InboxStatusAfter(outcome.Status);
        var responseIds = PostgresValues.ToJson(outcome.ResponseIds ?? []);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await using (var finish = Command(connection, transaction, FinishTurnSql,
                ("id", turnId),
                ("status", outcome.Status.ToString()),
                ("first_token_at_ms", outcome.FirstTokenAt),
                ("finished_at_ms", outcome.FinishedAt),
                ("response_ids", responseIds),
                ("input_tokens", outcome.Usage.InputTokens),
                ("output_tokens", outcome.Usage.OutputTokens),
                ("error", outcome.Error)))
            {
                if (await finish.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                    throw new InvalidOperationException($"The store has no turn with id {turnId}.");
            }

            await using var inbox = Command(connection, transaction, SetInboxStatusOfTurnSql,
                ("status", inboxStatus.ToString()), ("now", outcome.FinishedAt), ("turn_id", turnId));
            return await inbox.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TurnRecord?> GetTurnAsync(long turnId, CancellationToken cancellationToken = default) =>
        FindOneAsync(SelectTurnSql, ReadTurn, cancellationToken, ("id", turnId));

    /// <summary>What the inbox messages of a turn become when it ends with the given status.</summary>
    internal static InboxStatus InboxStatusAfter(TurnStatus status) => status switch
    {
        TurnStatus.Completed or TurnStatus.Incomplete => InboxStatus.Answered,
        TurnStatus.Failed or TurnStatus.Interrupted => InboxStatus.Failed,
        TurnStatus.Cancelled => InboxStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A turn cannot finish as Running."),
    };

    // Column order of SelectTurnSql.
    private static TurnRecord ReadTurn(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        reader.GetEnum<TurnStatus>(2),
        reader.GetTime(3),
        reader.GetTimeOrNull(4),
        reader.GetTimeOrNull(5),
        PostgresValues.StringsFromJson(reader.GetString(6)),
        new TokenUsage(reader.GetInt64(7), reader.GetInt64(8)),
        reader.GetStringOrNull(9));
}
