using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

/// <summary>The web chat's transcripts and event relay in the store (<see cref="IWebTranscripts"/>), on both stores.</summary>
public sealed class WebTranscriptTests : StoreTestBase
{
    [Fact]
    public async Task Messages_come_back_in_the_order_first_saved_and_a_replaced_one_keeps_its_place_after_a_restart()
    {
        var store = await Db.OpenStoreAsync();
        Assert.Empty(await store.GetWebMessagesAsync("t1"));

        await store.SaveWebMessagesAsync("t1", [new("u-1", "{\"text\":\"hi\"}"), new("a-1", "{\"text\":\"He\"}")], T0);
        await store.SaveWebMessagesAsync("t2", [new("u-9", "{\"text\":\"other\"}")], T0);
        await store.SaveWebMessagesAsync("t1", [new("u-2", "{\"text\":\"more\"}"), new("a-1", "{\"text\":\"Hello there\"}")], T0.AddSeconds(1));
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(
            [new WebTranscriptRow("u-1", "{\"text\":\"hi\"}"), new("a-1", "{\"text\":\"Hello there\"}"), new("u-2", "{\"text\":\"more\"}")],
            await reopened.GetWebMessagesAsync("t1"));
        Assert.Equal([new WebTranscriptRow("u-9", "{\"text\":\"other\"}")], await reopened.GetWebMessagesAsync("t2"));
    }

    [Fact]
    public async Task Deleting_a_thread_forgets_its_messages_and_events_and_nothing_of_other_threads()
    {
        var store = await Db.OpenStoreAsync();
        await store.SaveWebMessagesAsync("t1", [new("u-1", "{}")], T0);
        await store.SaveWebMessagesAsync("t2", [new("u-2", "{}")], T0);
        await store.AddWebEventAsync("t1", "i1", "message", "{}", T0);
        var kept = await store.AddWebEventAsync("t2", "i1", "message", "{}", T0);

        await store.DeleteWebThreadAsync("t1");

        Assert.Empty(await store.GetWebMessagesAsync("t1"));
        Assert.Single(await store.GetWebMessagesAsync("t2"));
        Assert.Equal([kept], (await store.GetWebEventsAsync(0, 100)).Select(e => e.Id));
    }

    [Fact]
    public async Task Events_are_read_in_order_after_a_cursor_in_batches_with_what_they_carried()
    {
        var store = await Db.OpenStoreAsync();
        Assert.Equal(0, await store.GetLastWebEventIdAsync());
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
            ids.Add(await store.AddWebEventAsync("t1", i % 2 == 0 ? "a" : "b", "status", $"{{\"n\":{i}}}", T0.AddSeconds(i)));

        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids[^1], await store.GetLastWebEventIdAsync());
        var first = await store.GetWebEventsAsync(0, 2);
        Assert.Equal(ids[..2], first.Select(e => e.Id));
        var rest = await store.GetWebEventsAsync(first[^1].Id, 100);
        Assert.Equal(ids[2..], rest.Select(e => e.Id));
        Assert.Equal(new WebThreadEvent(ids[3], "t1", "b", "status", "{\"n\":3}", T0.AddSeconds(3)), rest[1]);
        Assert.Empty(await store.GetWebEventsAsync(ids[^1], 100));
    }

    [Fact]
    public async Task Pruning_removes_old_events_only_and_an_id_is_never_given_again()
    {
        var store = await Db.OpenStoreAsync();
        var old = await store.AddWebEventAsync("t1", "a", "status", "{}", T0);
        var newer = await store.AddWebEventAsync("t1", "a", "status", "{}", T0.AddMinutes(20));

        Assert.Equal(1, await store.PruneWebEventsAsync(T0.AddMinutes(10)));
        Assert.Equal([newer], (await store.GetWebEventsAsync(0, 100)).Select(e => e.Id));

        // Every event gone: a reader that remembers the last id it read must still see the next one.
        Assert.Equal(1, await store.PruneWebEventsAsync(T0.AddHours(1)));
        var next = await store.AddWebEventAsync("t1", "a", "status", "{}", T0.AddHours(2));
        Assert.True(next > newer && newer > old);
        Assert.Equal([next], (await store.GetWebEventsAsync(newer, 100)).Select(e => e.Id));
    }
}
