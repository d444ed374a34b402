using System.Net;
using Bot.Core.Storage;
using Bot.Web.Api;
using Bot.Web.Threads;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.Tests.Api;

/// <summary>What one visitor, or a flood of cookie-less requests, can make the bot keep: nothing until a message, few streams.</summary>
public sealed class VisitorLimitsTests
{
    [Fact]
    public async Task OpeningThePage_WritesNothing_UntilTheVisitorSends_AndAnEmptyThreadLeavesMemory()
    {
        await using var bed = await TestBed.StartAsync();
        var writes = bed.Host.StoreCalls.Writes.Count;
        var recordWrites = bed.Host.StoreCalls.RecordWrites.Count;
        var threads = bed.Host.Services.GetRequiredService<WebThreadStore>();

        // Cookie-less visitors, again and again: each gets a thread of their own, none costs a row.
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            using var stranger = bed.Host.Visitor();
            given.Add(await stranger.ThreadAsync());
        }

        Assert.Equal(30, given.Count);
        Assert.Equal(writes, bed.Host.StoreCalls.Writes.Count);

        // A visitor who keeps their cookie keeps their thread, reads it and watches it, still without a row.
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        Assert.Equal(thread, await visitor.ThreadAsync());
        Assert.Empty((await visitor.HistoryAsync(thread)).Messages);
        using (var events = await visitor.EventsAsync(thread))
        {
            await events.WaitForAsync("sync");
            Assert.Equal(1, threads.LoadedCount);
        }

        Assert.Equal(writes, bed.Host.StoreCalls.Writes.Count);
        await TestBed.WaitUntilAsync(() => threads.LoadedCount == 0, "the empty thread to leave memory");

        // The first message binds the thread to the visitor: one row, and it is theirs alone.
        using (var events = await visitor.EventsAsync(thread))
        {
            await visitor.SendOkAsync(thread, "Now I am here");
            await events.WaitForAsync("done");
        }

        Assert.Equal([$"{nameof(IVisitorSessions.ClaimThreadAsync)} {thread}"], bed.Host.StoreCalls.RecordWrites.Skip(recordWrites));
        using var stranger2 = bed.Host.Visitor();
        using (var theirs = await stranger2.GetAsync($"/api/threads/{thread}"))
            Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(2, (await visitor.HistoryAsync(thread)).Messages.Count);
    }

    [Fact]
    public async Task AResetBeforeTheFirstMessage_GivesANewThread_AndTheOldOneIsNoOnesAnyMore()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var first = await visitor.ThreadAsync();

        using var reset = await visitor.PostAsync($"/api/threads/{first}/reset");
        reset.EnsureSuccessStatusCode();
        var second = await visitor.ThreadAsync();
        using var resetAgain = await visitor.PostAsync($"/api/threads/{second}/reset");
        resetAgain.EnsureSuccessStatusCode();
        var third = await visitor.ThreadAsync();

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        foreach (var old in new[] { first, second })
        {
            using var response = await visitor.GetAsync($"/api/threads/{old}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var events = await visitor.EventsAsync(third);
        await visitor.SendOkAsync(third, "Third time lucky");
        await events.WaitForAsync("done");
    }

    [Fact]
    public async Task AVisitorsFifthEventStream_ClosesTheOldest_WithAClosedEvent_TheOthersGoOn()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        var streams = new List<EventReader>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                var stream = await visitor.EventsAsync(thread);
                streams.Add(stream);
                await stream.WaitForAsync("sync");
            }

            var closed = await streams[0].WaitForAsync("closed", seconds: 30);
            Assert.Equal("too_many_streams", closed.Data.GetProperty("reason").GetString());
            await Assert.ThrowsAsync<EndOfStreamException>(() => streams[0].WaitForAsync("sync", seconds: 30));
            Assert.Equal(4, bed.Host.Services.GetRequiredService<StreamRegistry>().Count(VisitorHash(visitor, bed)));

            await visitor.SendOkAsync(thread, "Hello, all my tabs");
            foreach (var stream in streams.Skip(1))
                await stream.WaitForAsync("done");
        }
        finally
        {
            streams.ForEach(s => s.Dispose());
        }
    }

    private static string VisitorHash(WebChatClient visitor, TestBed bed)
    {
        var id = visitor.Cookies.GetCookies(bed.Host.BaseUri)[Bot.Web.Access.VisitorDirectory.Cookie]!.Value;
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(id)))[..32];
    }
}
