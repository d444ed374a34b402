using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

internal static partial class StoreSql
{
    public const string UpsertInstance =
        "INSERT INTO instances (instance_id, started_at_ms, heartbeat_at_ms, process_token) VALUES ($instance_id, $now, $now, $process_token) " +
        "ON CONFLICT (instance_id) DO UPDATE SET started_at_ms = excluded.started_at_ms, heartbeat_at_ms = excluded.heartbeat_at_ms, " +
        "process_token = excluded.process_token;";

    // A heartbeat of an instance whose row was removed (it shut down, then went on) puts the row back.
    public const string BeatInstance =
        "INSERT INTO instances (instance_id, started_at_ms, heartbeat_at_ms) VALUES ($instance_id, $now, $now) " +
        "ON CONFLICT (instance_id) DO UPDATE SET heartbeat_at_ms = excluded.heartbeat_at_ms;";

    public const string RenewInstanceLeases =
        "UPDATE conversation_leases SET expires_at_ms = $expires_at_ms WHERE owner_instance_id = $instance_id;";

    public const string DeleteInstance = "DELETE FROM instances WHERE instance_id = $instance_id;";

    public const string ReleaseInstanceLeases = "DELETE FROM conversation_leases WHERE owner_instance_id = $instance_id;";

    // One statement: a free key inserts; a taken key is updated only when the lease expired or is already the caller's,
    // else nothing is returned. Another instance's live lease is never touched, however the two race.
    public const string AcquireLease =
        "INSERT INTO conversation_leases (channel, chat_conversation_id, owner_instance_id, acquired_at_ms, expires_at_ms) " +
        "VALUES ($channel, $chat_conversation_id, $instance_id, $now, $expires_at_ms) " +
        "ON CONFLICT (channel, chat_conversation_id) DO UPDATE SET " +
        "acquired_at_ms = CASE WHEN conversation_leases.owner_instance_id = excluded.owner_instance_id " +
        "THEN conversation_leases.acquired_at_ms ELSE excluded.acquired_at_ms END, " +
        "owner_instance_id = excluded.owner_instance_id, expires_at_ms = excluded.expires_at_ms " +
        "WHERE conversation_leases.owner_instance_id = excluded.owner_instance_id OR conversation_leases.expires_at_ms <= $now " +
        "RETURNING owner_instance_id;";

    public const string RenewLease =
        "UPDATE conversation_leases SET expires_at_ms = $expires_at_ms " +
        "WHERE channel = $channel AND chat_conversation_id = $chat_conversation_id AND owner_instance_id = $instance_id;";

    public const string ReleaseLease =
        "DELETE FROM conversation_leases " +
        "WHERE channel = $channel AND chat_conversation_id = $chat_conversation_id AND owner_instance_id = $instance_id;";

    public const string FindLease =
        "SELECT channel, chat_conversation_id, owner_instance_id, expires_at_ms FROM conversation_leases " +
        "WHERE channel = $channel AND chat_conversation_id = $chat_conversation_id;";

    public const string SelectUnfinishedInboxOfConversation =
        $"SELECT {StoreRows.InboxColumns} FROM inbox " +
        "WHERE channel = $channel AND chat_conversation_id = $chat_conversation_id AND status IN ('Accepted', 'Processing') ORDER BY id;";
}
