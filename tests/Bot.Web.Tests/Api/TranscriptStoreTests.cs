using System.Text.Json;
using Bot.Core.Storage;
using Bot.Web.Threads;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.Tests.Api;

/// <summary>Transcripts live in the store; one an earlier version kept in the thread's folder moves there unchanged.</summary>
public sealed class TranscriptStoreTests
{
    [Fact]
    public async Task A_transcript_an_earlier_version_kept_on_disk_is_shown_after_the_upgrade_and_moved_into_the_store()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync(); // names the thread, loads nothing

        // What the previous version wrote: the thread's folder with transcript.json.
        var folder = Path.Combine(bed.DataPath, "web", "threads", thread);
        Directory.CreateDirectory(folder);
        var at = new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);
        WebMessage[] old = [new("u-0123456789abcdef", WebMessage.User, "Hello from last month", [], at),
            new("a-0123456789abcdef", WebMessage.Assistant, "Hello **again**", [], at.AddSeconds(2))];
        await File.WriteAllTextAsync(Path.Combine(folder, "transcript.json"), JsonSerializer.Serialize(old, WebJson.Options));

        var history = await visitor.HistoryAsync(thread);

        Assert.Equal(old.Select(m => (m.Id, m.Role, m.Text, m.At)), history.Messages.Select(m => (m.Id, m.Role, m.Text, m.At)));
        Assert.False(File.Exists(Path.Combine(folder, "transcript.json")));
        var rows = await bed.Host.Services.GetRequiredService<IWebTranscripts>().GetWebMessagesAsync(thread);
        Assert.Equal(old.Select(m => m.Id), rows.Select(r => r.MessageId));
    }

    [Fact]
    public async Task A_conversation_reads_the_same_after_a_restart_from_the_store_alone()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using (var events = await visitor.EventsAsync(thread))
        {
            await visitor.SendOkAsync(thread, "Remember me");
            await events.WaitForAsync("done");
        }

        var before = await visitor.HistoryAsync(thread);
        await bed.RestartAsync();
        using var again = new WebChatClient(bed.Host.BaseUri, visitor.Cookies);
        var after = await again.HistoryAsync(thread);

        Assert.Equal(2, before.Messages.Count);
        Assert.Equal(before.Messages.Select(m => (m.Id, m.Role, m.Text, m.At)), after.Messages.Select(m => (m.Id, m.Role, m.Text, m.At)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(bed.DataPath, "web"), "transcript.json", SearchOption.AllDirectories));
    }
}
