using Bot.Core.Storage;

namespace Bot.Storage.Sqlite;

/// <summary>
/// Every statement the store runs after migration, in one place so that a test can check each one's query
/// plan: all of them find their rows through a key or an index, never by scanning a table.
/// </summary>
internal static partial class StoreSql
{
    public const string FindActiveConversation =
        $"SELECT {StoreRows.ConversationColumns} FROM conversations " +
        "WHERE channel = $channel AND chat_conversation_id = $chat_conversation_id AND archived_at_ms IS NULL;";

    public const string InsertConversation =
        "INSERT INTO conversations (channel, chat_conversation_id, backend_kind, created_at_ms, last_active_at_ms) " +
        $"VALUES ($channel, $chat_conversation_id, $backend_kind, $now, $now) RETURNING {StoreRows.ConversationColumns};";

    public const string SetRemoteIds =
        "UPDATE conversations SET remote_conversation_id = $remote_conversation_id, vector_store_id = $vector_store_id " +
        "WHERE id = $id;";

    // Archiving twice keeps the first time.
    public const string ArchiveConversation =
        "UPDATE conversations SET archived_at_ms = coalesce(archived_at_ms, $now) WHERE id = $id;";

    public const string TouchConversation =
        "UPDATE conversations SET last_active_at_ms = $now WHERE id = $id;";

    public const string AcceptMessage =
        "INSERT INTO inbox (channel, chat_conversation_id, message_id, author_id, author_name, text, attachments, " +
        "reply_address, is_shared, places, received_at_ms, accepted_at_ms, status, updated_at_ms) " +
        "VALUES ($channel, $chat_conversation_id, $message_id, $author_id, $author_name, $text, $attachments, " +
        "$reply_address, $is_shared, $places, $received_at_ms, $now, $status, $now) " +
        "ON CONFLICT (channel, message_id) DO NOTHING RETURNING id;";

    // What a message said, forgotten once it is finished with (answered, failed, cancelled); its ids and times stay.
    private const string Forget = "text = '', author_name = '', attachments = '[]'";

    // $ids is a JSON array of inbox ids: one statement for any number of messages.
    public const string SetInboxStatus =
        "UPDATE inbox SET status = $status, updated_at_ms = $now WHERE id IN (SELECT value FROM json_each($ids));";

    public const string SelectInboxStatuses = "SELECT id, status FROM inbox WHERE id IN (SELECT value FROM json_each($ids));";

    public const string FinishInboxMessages =
        $"UPDATE inbox SET status = $status, updated_at_ms = $now, {Forget} WHERE id IN (SELECT value FROM json_each($ids));";

    public const string MoveInboxIntoTurn =
        "UPDATE inbox SET status = $status, turn_id = $turn_id, updated_at_ms = $now " +
        "WHERE id IN (SELECT value FROM json_each($ids));";

    // Only finishing a turn sets the status of its messages, so this is their end.
    public const string SetInboxStatusOfTurn =
        $"UPDATE inbox SET status = $status, updated_at_ms = $now, {Forget} WHERE turn_id = $turn_id;";

    // The status condition is written exactly as in the partial index ix_inbox_unfinished so that the index serves it.
    public const string SelectUnfinishedInbox =
        $"SELECT {StoreRows.InboxColumns} FROM inbox " +
        "WHERE channel = $channel AND status IN ('Accepted', 'Processing') ORDER BY id;";

    public const string InsertTurn =
        "INSERT INTO turns (conversation_id, status, started_at_ms) VALUES ($conversation_id, $status, $now) RETURNING id;";

    public const string FinishTurn =
        "UPDATE turns SET status = $status, first_token_at_ms = $first_token_at_ms, finished_at_ms = $finished_at_ms, " +
        "response_ids = $response_ids, input_tokens = $input_tokens, output_tokens = $output_tokens, error = $error " +
        "WHERE id = $id;";

    // Only a running turn moves on: a late save never overwrites a finished turn's row.
    public const string SaveResumePoint =
        "UPDATE turns SET resume_response_id = $response_id, resume_sequence = $sequence, resume_resumable = $resumable, " +
        "resume_running_tool = $running_tool, reply_message_ids = $message_ids WHERE id = $id AND status = 'Running';";

    public const string SelectTurn =
        $"SELECT {StoreRows.TurnColumns} FROM turns WHERE id = $id;";

    // Recording the same object twice keeps the first record.
    public const string InsertRemoteObject =
        "INSERT INTO remote_objects (conversation_id, kind, remote_id, label, purpose, created_at_ms) " +
        "VALUES ($conversation_id, $kind, $remote_id, $label, $purpose, $now) ON CONFLICT (kind, remote_id) DO NOTHING;";

    public const string SelectLiveRemoteObjects =
        "SELECT kind, remote_id, label, purpose FROM remote_objects " +
        "WHERE conversation_id = $conversation_id AND deleted_at_ms IS NULL ORDER BY id;";

    public const string MarkRemoteObjectDeleted =
        "UPDATE remote_objects SET deleted_at_ms = coalesce(deleted_at_ms, $now), next_delete_at_ms = NULL " +
        "WHERE kind = $kind AND remote_id = $remote_id;";

    // The reset's own attempt is the first; the sweep may make the next from $retry_at.
    public const string RequestRemoteDeletion =
        "UPDATE remote_objects SET delete_requested_at_ms = coalesce(delete_requested_at_ms, $now), delete_attempts = 1, " +
        "next_delete_at_ms = $retry_at WHERE conversation_id = $conversation_id AND deleted_at_ms IS NULL " +
        "RETURNING kind, remote_id, label, purpose;";

    // The conditions repeat the partial index ix_remote_objects_delete_due so that the index serves them. No table
    // aliases: the query plan test looks for scans by table name.
    public const string SelectDueDeletions =
        "SELECT remote_objects.id, channel, chat_conversation_id, backend_kind, kind, remote_id, label, purpose, delete_attempts " +
        "FROM remote_objects JOIN conversations ON conversations.id = remote_objects.conversation_id " +
        "WHERE deleted_at_ms IS NULL AND next_delete_at_ms IS NOT NULL AND next_delete_at_ms <= $now " +
        "ORDER BY next_delete_at_ms LIMIT $limit;";

    public const string SelectNextDeletionDue =
        "SELECT min(next_delete_at_ms) FROM remote_objects WHERE deleted_at_ms IS NULL AND next_delete_at_ms IS NOT NULL;";

    public const string ClaimDeletion =
        "UPDATE remote_objects SET delete_attempts = $attempt, next_delete_at_ms = $next_at WHERE id = $id;";

    // Reads the header page: the file is there and readable.
    public const string Ping = "PRAGMA user_version;";

    public const string SelectPlaceFollowed =
        "SELECT 1 FROM followed_places WHERE channel = $channel AND place_id = $place_id;";

    // Following again keeps the first time.
    public const string FollowPlace =
        "INSERT INTO followed_places (channel, place_id, followed_at_ms) VALUES ($channel, $place_id, $now) " +
        "ON CONFLICT (channel, place_id) DO NOTHING;";

    public const string SelectCurrentThread =
        "SELECT current_thread_id FROM visitors WHERE visitor_id = $visitor_id;";

    public const string SetCurrentThread =
        "INSERT INTO visitors (visitor_id, current_thread_id, updated_at_ms) VALUES ($visitor_id, $thread_id, $now) " +
        "ON CONFLICT (visitor_id) DO UPDATE SET current_thread_id = excluded.current_thread_id, updated_at_ms = excluded.updated_at_ms;";

    public const string SelectThreadOwner =
        "SELECT visitor_id FROM visitor_threads WHERE thread_id = $thread_id;";

    // $visitor_id NULL releases the thread.
    public const string SetThreadOwner =
        "INSERT INTO visitor_threads (thread_id, visitor_id, updated_at_ms) VALUES ($thread_id, $visitor_id, $now) " +
        "ON CONFLICT (thread_id) DO UPDATE SET visitor_id = excluded.visitor_id, updated_at_ms = excluded.updated_at_ms;";

    public const string SelectSecret = "SELECT value FROM secrets WHERE name = $name;";

    // The first secret stored under a name is kept: racing callers all read the same one back.
    public const string AddSecret =
        "INSERT INTO secrets (name, value, created_at_ms) VALUES ($name, $value, $now) ON CONFLICT (name) DO NOTHING;";

    public const string SelectProvisionedAssistant =
        "SELECT assistant_id, settings_hash FROM provisioned_assistants WHERE backend_kind = $backend_kind;";

    public const string SaveProvisionedAssistant =
        "INSERT INTO provisioned_assistants (backend_kind, assistant_id, settings_hash, updated_at_ms) " +
        "VALUES ($backend_kind, $assistant_id, $settings_hash, $now) ON CONFLICT (backend_kind) DO UPDATE SET " +
        "assistant_id = excluded.assistant_id, settings_hash = excluded.settings_hash, updated_at_ms = excluded.updated_at_ms;";

    public const string ForgetProvisionedAssistant =
        "DELETE FROM provisioned_assistants WHERE backend_kind = $backend_kind AND assistant_id = $assistant_id;";

    public const string InsertModerationEvent =
        "INSERT INTO moderation_events (channel, user_id, conversation_id, categories, at_ms) " +
        "VALUES ($channel, $user_id, $conversation_id, $categories, $at);";

    public const string CountModerationEvents =
        "SELECT count(*) FROM moderation_events WHERE channel = $channel AND user_id = $user_id;";

    public const string SelectModerationEvents =
        "SELECT channel, user_id, conversation_id, categories, at_ms FROM moderation_events " +
        "WHERE channel = $channel AND user_id = $user_id ORDER BY at_ms DESC, id DESC;";
}
