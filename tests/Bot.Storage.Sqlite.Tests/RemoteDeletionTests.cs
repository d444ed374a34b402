using Bot.Core.Backends;
using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>Requested deletions of remote objects: recorded with the archive, claimed for retries with backoff, never lost.</summary>
public sealed class RemoteDeletionTests : StoreTestBase
{
    private static readonly RetrySchedule s_schedule = new(TimeSpan.FromMinutes(1), MaxAttempts: 3);

    [Fact]
    public async Task ArchiveAndRequestDeletionAsync_archives_and_marks_every_live_object_for_a_retry()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("web", "t1"), "Responses", T0);
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.Conversation, "conv_1"));
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_1", "a.csv", RemoteFilePurposes.CodeInterpreter));
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_gone"));
        await store.MarkRemoteObjectDeletedAsync(RemoteObjectKind.File, "file_gone", T0);

        var requested = await store.ArchiveAndRequestDeletionAsync(conversation.Id, T0, T0.AddMinutes(1));

        Assert.Equal(
            [new RemoteObjectRecord(RemoteObjectKind.Conversation, "conv_1"), new RemoteObjectRecord(RemoteObjectKind.File, "file_1", "a.csv", RemoteFilePurposes.CodeInterpreter)],
            requested.OrderBy(o => o.RemoteId));
        Assert.Null(await store.FindConversationAsync(new("web", "t1")));
        Assert.Equal(2, (await store.GetRemoteObjectsAsync(conversation.Id)).Count); // still in the registry until deleted
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM remote_objects WHERE delete_attempts = 1 AND next_delete_at_ms = $at;",
            ("$at", T0.AddMinutes(1).ToUnixTimeMilliseconds())));
    }

    [Fact]
    public async Task ClaimDueDeletionsAsync_offers_each_object_when_due_with_doubling_delays_until_the_last_attempt()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("web", "t1"), "Responses", T0);
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.VectorStore, "vs_1"));
        await store.ArchiveAndRequestDeletionAsync(conversation.Id, T0, s_schedule.NextAfter(1, T0));

        Assert.Equal(T0.AddMinutes(1), await store.GetNextDeletionDueAsync());
        Assert.Empty(await store.ClaimDueDeletionsAsync(T0.AddSeconds(59), s_schedule, 10));
        var second = Assert.Single(await store.ClaimDueDeletionsAsync(T0.AddMinutes(1), s_schedule, 10));
        Assert.Empty(await store.ClaimDueDeletionsAsync(T0.AddMinutes(1), s_schedule, 10)); // claimed: not offered twice
        Assert.Equal(T0.AddMinutes(3), await store.GetNextDeletionDueAsync());
        Assert.Empty(await store.ClaimDueDeletionsAsync(T0.AddMinutes(2.9), s_schedule, 10));
        var third = Assert.Single(await store.ClaimDueDeletionsAsync(T0.AddMinutes(3), s_schedule, 10));

        Assert.Equal(new RemoteDeletion(new("web", "t1"), "Responses", new(RemoteObjectKind.VectorStore, "vs_1"), 2, T0.AddMinutes(3)), second);
        Assert.Equal((3, (DateTimeOffset?)null), (third.Attempt, third.NextAttemptAt));
        Assert.Null(await store.GetNextDeletionDueAsync());
        Assert.Empty(await store.ClaimDueDeletionsAsync(T0.AddYears(1), s_schedule, 10)); // given up
        Assert.Single(await store.GetRemoteObjectsAsync(conversation.Id)); // and still in the registry, for an operator
    }

    [Fact]
    public async Task A_claim_survives_a_restart_and_a_deleted_object_is_not_offered_again()
    {
        var store = await Db.OpenStoreAsync();
        var conversation = await store.GetOrCreateConversationAsync(new("web", "t1"), "Assistants", T0);
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.Thread, "thread_1"));
        await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, "file_1"));
        await store.ArchiveAndRequestDeletionAsync(conversation.Id, T0, T0);
        Assert.Equal(2, (await store.ClaimDueDeletionsAsync(T0, s_schedule, 10)).Count);
        await store.DisposeAsync();

        var reopened = await Db.OpenStoreAsync();
        await reopened.MarkRemoteObjectDeletedAsync(RemoteObjectKind.File, "file_1", T0.AddMinutes(2));
        var due = await reopened.ClaimDueDeletionsAsync(T0.AddMinutes(2), s_schedule, 10);

        Assert.Equal(("thread_1", 3), (Assert.Single(due).Object.RemoteId, due[0].Attempt));
    }

    [Fact]
    public async Task Objects_of_a_mapping_archived_without_a_request_are_never_offered()
    {
        var store = await Db.OpenStoreAsync();
        var switched = await store.GetOrCreateConversationAsync(new("discord", "c1"), "Responses", T0);
        await store.RecordRemoteObjectAsync(switched.Id, new(RemoteObjectKind.Conversation, "conv_1"));

        await store.ArchiveConversationAsync(switched.Id, T0);

        Assert.Empty(await store.ClaimDueDeletionsAsync(T0.AddYears(1), s_schedule, 10));
        Assert.Null(await store.GetNextDeletionDueAsync());
        Assert.Single(await store.GetRemoteObjectsAsync(switched.Id));
    }

    [Fact]
    public async Task ClaimDueDeletionsAsync_takes_at_most_the_limit_earliest_first()
    {
        var store = await Db.OpenStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            var conversation = await store.GetOrCreateConversationAsync(new("web", $"t{i}"), "Responses", T0);
            await store.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, $"file_{i}"));
            await store.ArchiveAndRequestDeletionAsync(conversation.Id, T0, T0.AddSeconds(3 - i));
        }

        var due = await store.ClaimDueDeletionsAsync(T0.AddMinutes(1), s_schedule, 2);

        Assert.Equal(["file_2", "file_1"], due.Select(d => d.Object.RemoteId));
    }
}
