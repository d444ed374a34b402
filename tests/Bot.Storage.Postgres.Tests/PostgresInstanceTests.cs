using Bot.Core.Backends;
using Bot.Core.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Storage.Postgres.Tests;

/// <summary>Two store objects on one database stand for two bot processes: what one writes, the other respects.</summary>
public sealed class PostgresInstanceTests : StoreTestBase
{
    [Fact]
    public async Task A_message_delivered_to_two_instances_at_once_is_accepted_exactly_once()
    {
        var one = await Db.OpenStoreAsync();
        var other = await Db.OpenStoreAsync();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepts = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? one : other).TryAcceptAsync(Message("teams", "c1", "redelivered"), T0);
        })).ToArray();

        start.SetResult();
        var ids = await Task.WhenAll(accepts);

        Assert.Single(ids, id => id is not null);
        Assert.Single(await other.GetUnfinishedInboxAsync("teams"));
    }

    [Fact]
    public async Task Two_instances_sweeping_at_once_never_claim_the_same_deletion()
    {
        var one = await Db.OpenStoreAsync();
        var other = await Db.OpenStoreAsync();
        var schedule = new RetrySchedule(TimeSpan.FromMinutes(1), MaxAttempts: 5);
        for (var i = 0; i < 30; i++)
        {
            var conversation = await one.GetOrCreateConversationAsync(new("web", $"t{i}"), "Responses", T0);
            await one.RecordRemoteObjectAsync(conversation.Id, new(RemoteObjectKind.File, $"file_{i}"));
            await one.ArchiveAndRequestDeletionAsync(conversation.Id, T0, T0);
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sweeps = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? one : other).ClaimDueDeletionsAsync(T0, schedule, 4);
        })).ToArray();
        start.SetResult();
        var claimed = (await Task.WhenAll(sweeps)).SelectMany(d => d).Select(d => d.Object.RemoteId).ToList();

        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.All(await one.ClaimDueDeletionsAsync(T0, schedule, 100), d => Assert.DoesNotContain(d.Object.RemoteId, claimed));
    }

    [Fact]
    public async Task The_store_logs_where_it_is_but_never_the_password()
    {
        // The test cluster trusts local connections, so any password is accepted and ignored.
        var builder = new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Password = "hunter2-secret" };
        var logger = new Bot.Testing.ListLogger<PostgresConversationStore>();
        await using var store = new PostgresConversationStore(
            Options.Create(new PostgresStoreOptions { ConnectionString = builder.ToString() }), logger, TimeProvider.System);

        await store.InitializeAsync();

        Assert.Contains(logger.Entries, e => e.EventId.Id == 8000 && e.Message.Contains(builder.Database!, StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("hunter2", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2", store.Database, StringComparison.Ordinal);
    }
}
