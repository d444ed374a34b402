using System.Net;
using System.Text;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Tests.Api;

/// <summary>What the web chat leaves behind: nothing remote after a reset whose tab closed, nothing readable by others on disk.</summary>
public sealed class DataSafetyTests
{
    [Fact]
    public async Task AResetWhoseRequestIsAborted_StillStopsTheTurn_AndDeletesEverythingRemote()
    {
        // Every reset request is cut off as it arrives, as when the tab closes right after the click.
        await using var bed = await TestBed.StartAsync(configure: app => app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            if (context.Request.Path.Value?.EndsWith("/reset", StringComparison.Ordinal) == true)
                context.Abort();
            await next(context);
        }));
        bed.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(200)).Text(string.Join(' ', Enumerable.Repeat("word", 300))).Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using (var events = await visitor.EventsAsync(thread))
        {
            await visitor.SendOkAsync(thread, "Look at this", ("sales.csv", "text/csv", Encoding.UTF8.GetBytes("month,sales\nJan,3\n")));
            await events.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant);
        }

        Assert.NotEmpty(bed.OpenAI.Ledger.CreatedConversations);
        Assert.NotEmpty(bed.OpenAI.Ledger.CreatedFiles);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => visitor.PostAsync($"/api/threads/{thread}/reset"));

        await TestBed.WaitUntilAsync(() => bed.OpenAI.Ledger.Orphans.Count == 0 &&
                                           bed.OpenAI.Ledger.DeletedConversations.Count == bed.OpenAI.Ledger.CreatedConversations.Count,
            "the reset to delete the remote conversation and files");
        await TestBed.WaitUntilAsync(() => !Directory.Exists(Path.Combine(bed.DataPath, "web", "threads", thread)), "the old thread's folder to go");
        Assert.NotEqual(thread, await visitor.ThreadAsync());
        using var old = await visitor.GetAsync($"/api/threads/{thread}");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }

    [Fact]
    public async Task TheDataFolders_AndEveryFileInThem_AreTheOwnersAlone()
    {
        if (OperatingSystem.IsWindows())
            return; // Windows folders inherit their parent's access list
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().CodeInterpreterFile("chart.png", TestImages.Chart()).Text("Here it is.").Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using (var events = await visitor.EventsAsync(thread))
        {
            await visitor.SendOkAsync(thread, "Plot it", ("sales.csv", "text/csv", Encoding.UTF8.GetBytes("month,sales\nJan,3\n")));
            await events.WaitForAsync("done");
        }

        // The transcript is in the store now; the folder holds the upload and the chart.
        var root = Path.Combine(bed.DataPath, "web");
        var folder = Path.Combine(root, "threads", thread);
        await TestBed.WaitUntilAsync(() => Directory.Exists(Path.Combine(folder, "files")) && Directory.GetFiles(Path.Combine(folder, "files")).Length > 0,
            "the chart");
        string[] folders = [root, Path.Combine(root, "threads"), folder, Path.Combine(folder, "uploads"), Path.Combine(folder, "files")];
        string[] files = [.. Directory.GetFiles(Path.Combine(folder, "uploads")), .. Directory.GetFiles(Path.Combine(folder, "files"))];

        Assert.Equal(2, files.Length); // the upload and the chart
        Assert.False(File.Exists(Path.Combine(folder, "transcript.json")));
        foreach (var path in folders)
            Assert.True(File.GetUnixFileMode(path) == PrivateFiles.OwnerOnlyFolder, $"{path}: {File.GetUnixFileMode(path)}");
        foreach (var path in files)
            Assert.True(File.GetUnixFileMode(path) == PrivateFiles.OwnerOnlyFile, $"{path}: {File.GetUnixFileMode(path)}");
    }
}
