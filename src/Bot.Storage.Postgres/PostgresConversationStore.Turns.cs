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

    // Only a running turn moves on: a late save never overwrites a finished turn's row.
    private const string SaveResumePointSql =
        "UPDATE turns SET resume_response_id = @response_id, resume_sequence = @sequence, resume_resumable = @resumable, " +
        "resume_running_tool = @running_tool, reply_message_ids = @message_ids WHERE id = @id AND status = 'Running';";

    private const string SelectTurnSql =
        $"SELECT {StoreRows.TurnColumns} FROM turns WHERE id = @id;";

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
        var inboxStatus = StoreRows.InboxStatusAfter(outcome.Status);
        var responseIds = StoredJson.Strings(outcome.ResponseIds ?? []);
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
    public Task SaveResumePointAsync(long turnId, TurnResumePoint point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        return ExecuteAsync(SaveResumePointSql, cancellationToken,
            ("id", turnId),
            ("response_id", point.ResponseId),
            ("sequence", point.SequenceNumber),
            ("resumable", point.Resumable),
            ("running_tool", point.RunningTool),
            ("message_ids", StoredJson.Strings(point.MessageIds ?? [])));
    }

    /// <inheritdoc />
    public Task<TurnRecord?> GetTurnAsync(long turnId, CancellationToken cancellationToken = default) =>
        FindOneAsync(SelectTurnSql, StoreRows.Turn, cancellationToken, ("id", turnId));
}
