namespace Bot.Storage.Sqlite;

internal static partial class StoreSql
{
    public const string InsertModerationEvent =
        "INSERT INTO moderation_events (channel, user_id, conversation_id, categories, at_ms) " +
        "VALUES ($channel, $user_id, $conversation_id, $categories, $at);";

    public const string CountModerationEvents =
        "SELECT count(*) FROM moderation_events WHERE channel = $channel AND user_id = $user_id;";

    public const string SelectModerationEvents =
        "SELECT channel, user_id, conversation_id, categories, at_ms FROM moderation_events " +
        "WHERE channel = $channel AND user_id = $user_id ORDER BY at_ms DESC, id DESC;";
}
