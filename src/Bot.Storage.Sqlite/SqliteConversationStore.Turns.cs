using Bot.Core.Backends;
using Bot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>Turns and the inbox messages they answer (<see cref="ITurnLog"/>).</summary>
public sealed partial class SqliteConversationStore
{
    /// <inheritdoc />
    public Task<long> StartTurnAsync(long conversationId, IReadOnlyList<long> inboxIds, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        var ids = SqliteValues.ToJson(inboxIds);
        return WriteAsync(transaction =>
        {
            UpdateConversation(StoreSql.TouchConversation, conversationId, now, transaction);

            var insert = WriterCommand(StoreSql.InsertTurn, transaction,
                ("$conversation_id", conversationId),
                ("$status", nameof(TurnStatus.Running)),
                ("$now", now));
            var turnId = (long)insert.ExecuteScalar()!;

            var move = WriterCommand(StoreSql.MoveInboxIntoTurn, transaction,
                ("$ids", ids),
                ("$status", nameof(InboxStatus.Processing)),
                ("$turn_id", turnId),
                ("$now", now));
            move.ExecuteNonQuery();
            return turnId;
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task FinishTurnAsync(long turnId, TurnOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var inboxStatus = StoreRows.InboxStatusAfter(outcome.Status);
        var responseIds = StoredJson.Strings(outcome.ResponseIds ?? []);
        return WriteAsync(transaction =>
        {
            var finish = WriterCommand(StoreSql.FinishTurn, transaction,
                ("$id", turnId),
                ("$status", outcome.Status.ToString()),
                ("$first_token_at_ms", outcome.FirstTokenAt),
                ("$finished_at_ms", outcome.FinishedAt),
                ("$response_ids", responseIds),
                ("$input_tokens", outcome.Usage.InputTokens),
                ("$output_tokens", outcome.Usage.OutputTokens),
                ("$error", outcome.Error));
            if (finish.ExecuteNonQuery() == 0)
                throw new InvalidOperationException($"The store has no turn with id {turnId}.");

            var inbox = WriterCommand(StoreSql.SetInboxStatusOfTurn, transaction,
                ("$status", inboxStatus.ToString()),
                ("$now", outcome.FinishedAt),
                ("$turn_id", turnId));
            return inbox.ExecuteNonQuery();
        }, inTransaction: true, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveResumePointAsync(long turnId, TurnResumePoint point, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(point);
        var messageIds = StoredJson.Strings(point.MessageIds ?? []);
        return WriteAsync(transaction => WriterCommand(StoreSql.SaveResumePoint, transaction,
            ("$id", turnId),
            ("$response_id", point.ResponseId),
            ("$sequence", point.SequenceNumber),
            ("$resumable", point.Resumable),
            ("$running_tool", point.RunningTool),
            ("$message_ids", messageIds)).ExecuteNonQuery(), inTransaction: false, cancellationToken);
    }

    /// <inheritdoc />
    public Task<TurnRecord?> GetTurnAsync(long turnId, CancellationToken cancellationToken = default) =>
        FindOneAsync(StoreSql.SelectTurn, "$id", turnId, StoreRows.Turn, cancellationToken);
}
