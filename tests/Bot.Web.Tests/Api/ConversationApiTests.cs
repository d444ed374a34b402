using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bot.Testing.OpenAI;
using Bot.Web.Threads;

namespace Bot.Web.Tests.Api;

public sealed class ConversationApiTests
{
    [Fact]
    public async Task Send_StreamsTheAnswerAsItGrows_ThenDone()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("First part.").Delay(TimeSpan.FromSeconds(1)).Text("Second part.").Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        var sync = await events.WaitForAsync("sync");
        Assert.Empty(sync.Data.GetProperty("messages").EnumerateArray());

        await visitor.SendOkAsync(thread, "Tell me two things");

        var user = await events.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.User);
        Assert.Equal("Tell me two things", user.Text);
        // The first part arrives in several deltas and is shown on its own before the second part (1 s later) exists.
        await events.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant && e.Text == "First part.");
        var done = await events.WaitForAsync("done");
        Assert.Equal("Completed", done.Data.GetProperty("status").GetString());
        var final = events.Seen.Last(e => e.Type == "message" && e.Role == WebMessage.Assistant);
        Assert.Equal("First part.\n\nSecond part.", final.Text);
        Assert.Equal("Tell me two things", Assert.Single(bed.OpenAI.ResponseRequests).UserText);
    }

    [Fact]
    public async Task History_AfterRestart_ShowsTheConversationToTheSameVisitor()
    {
        await using var bed = await TestBed.StartAsync();
        var cookies = new CookieContainer();
        string thread;
        using (var visitor = bed.Host.Visitor(cookies))
        {
            thread = await visitor.ThreadAsync();
            using var events = await visitor.EventsAsync(thread);
            await visitor.SendOkAsync(thread, "Remember this");
            await events.WaitForAsync("done");
        }

        await bed.RestartAsync();

        using var again = bed.Host.Visitor(cookies);
        Assert.Equal(thread, await again.ThreadAsync());
        var history = await again.HistoryAsync(thread);
        Assert.Collection(history.Messages,
            m => Assert.Equal((WebMessage.User, "Remember this"), (m.Role, m.Text)),
            m => Assert.Equal((WebMessage.Assistant, "You said: Remember this"), (m.Role, m.Text)));
        Assert.False(history.Running);

        // The conversation goes on in the same remote conversation.
        using var events2 = await again.EventsAsync(thread);
        await again.SendOkAsync(thread, "And now?");
        await events2.WaitForAsync("done");
        Assert.Equal(bed.OpenAI.ResponseRequests[0].ConversationId, bed.OpenAI.ResponseRequests[1].ConversationId);
    }

    [Fact]
    public async Task Reset_StartsANewThread_ForgetsTheOldOne_AndDeletesItsRemoteConversation()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using (var events = await visitor.EventsAsync(thread))
        {
            await visitor.SendOkAsync(thread, "Hello");
            await events.WaitForAsync("done");
        }

        using var reset = await visitor.PostAsync($"/api/threads/{thread}/reset");
        reset.EnsureSuccessStatusCode();
        var next = (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("thread").GetString()!;

        Assert.NotEqual(thread, next);
        Assert.Equal(next, await visitor.ThreadAsync());
        Assert.Empty((await visitor.HistoryAsync(next)).Messages);
        using (var old = await visitor.GetAsync($"/api/threads/{thread}"))
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Equal(bed.OpenAI.Ledger.CreatedConversations, bed.OpenAI.Ledger.DeletedConversations);

        using var nextEvents = await visitor.EventsAsync(next);
        await visitor.SendOkAsync(next, "Fresh start");
        await nextEvents.WaitForAsync("done");
        Assert.NotEqual(bed.OpenAI.ResponseRequests[0].ConversationId, bed.OpenAI.ResponseRequests[1].ConversationId);
    }

    [Fact]
    public async Task Reset_ThenRestart_TheVisitorStaysOnTheNewThread_AndTheOldOneStaysGone()
    {
        await using var bed = await TestBed.StartAsync();
        var cookies = new CookieContainer();
        string first, next;
        using (var visitor = bed.Host.Visitor(cookies))
        {
            first = await visitor.ThreadAsync();
            using (var events = await visitor.EventsAsync(first))
            {
                await visitor.SendOkAsync(first, "Hello");
                await events.WaitForAsync("done");
            }

            using var reset = await visitor.PostAsync($"/api/threads/{first}/reset");
            reset.EnsureSuccessStatusCode();
            next = (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("thread").GetString()!;
        }

        await bed.RestartAsync();

        using var again = bed.Host.Visitor(cookies);
        Assert.Equal(next, await again.ThreadAsync());
        using (var old = await again.GetAsync($"/api/threads/{first}"))
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        using var nextEvents = await again.EventsAsync(next);
        await again.SendOkAsync(next, "After the restart");
        await nextEvents.WaitForAsync("done");
        Assert.Equal(2, (await again.HistoryAsync(next)).Messages.Count);
    }

    [Fact]
    public async Task Stop_DuringALongAnswer_EndsItAsCancelled_AndTheConversationGoesOn()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(200))
            .Text(string.Join(' ', Enumerable.Repeat("word", 300))).Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "Talk for a long time");
        await events.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant);

        using var stop = await visitor.PostAsync($"/api/threads/{thread}/stop");
        Assert.True((await stop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stopped").GetBoolean());

        var done = await events.WaitForAsync("done");
        Assert.Equal("Cancelled", done.Data.GetProperty("status").GetString());
        var last = (await visitor.HistoryAsync(thread)).Messages[^1];
        Assert.EndsWith("Stopped.", last.Text, StringComparison.Ordinal);

        await visitor.SendOkAsync(thread, "Short one");
        await events.WaitForAsync(e => e.Type == "done");
        Assert.Equal("You said: Short one", (await visitor.HistoryAsync(thread)).Messages[^1].Text);
    }

    [Fact]
    public async Task GeneratedImage_IsServedByTheBot_AndTheCsvWentToTheCodeInterpreter()
    {
        await using var bed = await TestBed.StartAsync();
        var png = TestImages.Chart();
        bed.OpenAI.Enqueue(FakeResponse.Stream().CodeInterpreterFile("chart.png", png).CodeInterpreterFile("totals.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"))
            .Text("Here is the chart.").Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);

        await visitor.SendOkAsync(thread, "Plot it", ("sales.csv", "text/csv", Encoding.UTF8.GetBytes("month,sales\nJan,3\nFeb,5\n")));
        await events.WaitForAsync("done");
        // Whether "Running code…" was shown depends on how long the code ran against the update pace (the core shows the
        // latest state); RunningCode_IsShownWhileTheCodeRuns… holds the code to see it. Here only the end is certain.
        var after = await visitor.HistoryAsync(thread);
        Assert.Null(after.Status);
        Assert.False(after.Running);

        var request = Assert.Single(bed.OpenAI.ResponseRequests);
        Assert.Single(request.CodeInterpreterFileIds);
        Assert.Contains(bed.OpenAI.Ledger.UploadedFiles, f => f.Filename == "sales.csv");
        var messages = (await visitor.HistoryAsync(thread)).Messages;
        Assert.Equal("sales.csv", Assert.Single(messages[0].Files).Name);
        Assert.Equal(2, messages[^1].Files.Count);
        var image = messages[^1].Files[0];
        Assert.Equal(("chart.png", "image/png"), (image.Name, image.MediaType));
        using (var csv = await visitor.GetAsync($"/api/threads/{thread}/files/{messages[^1].Files[1].Id}"))
        {
            Assert.Equal("application/octet-stream", csv.Content.Headers.ContentType?.MediaType);
            Assert.Equal("totals.csv", csv.Content.Headers.ContentDisposition?.FileName);
            Assert.Equal("a,b\n1,2\n", await csv.Content.ReadAsStringAsync());
        }

        using var file = await visitor.GetAsync($"/api/threads/{thread}/files/{image.Id}");
        file.EnsureSuccessStatusCode();
        Assert.Equal("image/png", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await file.Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain(bed.OpenAI.BaseUri.Authority, messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunningCode_IsShownWhileTheCodeRuns_KeptAsAStepOfTheTurn_AndClearedWhenItEnds()
    {
        await using var bed = await TestBed.StartAsync();
        // The code interpreter call starts, then its code comes at a pace of minutes: the status stays up until the test
        // stops the turn, so seeing it depends on nothing but the bot.
        bed.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMinutes(10)).CodeInterpreterFile("chart.png", TestImages.Chart()).Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);

        await visitor.SendOkAsync(thread, "Plot it", ("sales.csv", "text/csv", Encoding.UTF8.GetBytes("month,sales\nJan,3\n")));

        await events.WaitForAsync(e => e.Type == "status" && e.Text == "Running code…");
        var during = await visitor.HistoryAsync(thread);
        Assert.Equal(("Running code…", true), (during.Status, during.Running));
        Assert.Equal(["Running code…"], during.Steps!);
        using (var late = await visitor.EventsAsync(thread))
            Assert.Equal("Running code…", (await late.WaitForAsync("sync")).Data.GetProperty("status").GetString());

        using (var stop = await visitor.PostAsync($"/api/threads/{thread}/stop"))
            stop.EnsureSuccessStatusCode();
        var done = await events.WaitForAsync("done");
        Assert.Equal(["Running code…"], done.Data.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
        var after = await visitor.HistoryAsync(thread);
        Assert.Null(after.Status);
        Assert.Equal(["Running code…"], after.Steps!);

        // The next turn starts its own list of steps.
        await visitor.SendOkAsync(thread, "Never mind");
        var next = await events.WaitForAsync("done");
        Assert.Empty(next.Data.GetProperty("steps").EnumerateArray());
    }

    [Fact]
    public async Task OversizedFile_IsRefusedWithAClearError_NothingIsSent_AndTheThreadStaysUsable()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Attachments:MaxFileBytes"] = "1024" });
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();

        using var response = await visitor.SendAsync(thread, "Analyse this", ("big.csv", "text/csv", new byte[64 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Equal("big.csv is larger than the 1 KB limit for this kind of file, so nothing was sent.", error);
        Assert.Empty((await visitor.HistoryAsync(thread)).Messages);
        Assert.Empty(bed.OpenAI.ResponseRequests);
        Assert.False(Directory.EnumerateFiles(bed.DataPath, "*big.csv", SearchOption.AllDirectories).Any());

        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "Without the file then");
        await events.WaitForAsync("done");
        Assert.Equal(2, (await visitor.HistoryAsync(thread)).Messages.Count);
    }

    [Fact]
    public async Task FileSearchCitations_AreMarkersInTheText_AndSourcesThePageListsUnderTheAnswer()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().FileSearch("holidays").Text("You get 25 days.", FakeCitation.File("file-abc", "policy.pdf", 16))
            .Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);

        await visitor.SendOkAsync(thread, "How many holidays?");
        await events.WaitForAsync("done");

        var answer = (await visitor.HistoryAsync(thread)).Messages[^1];
        Assert.Equal("You get 25 days.[1]", answer.Text);
        Assert.Equal([new WebCitation(1, "file", "policy.pdf")], answer.Citations!);
    }

    [Fact]
    public async Task History_WhileAnAnswerRuns_SaysSo_AndShowsTheAnswerSoFar()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("Working on it.").Delay(TimeSpan.FromSeconds(2)).Text("Done.").Completed());
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "Go");
        // The fake sends the first sentence in several deltas; wait for all of it (the second comes 2 s later).
        await events.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant && e.Text == "Working on it.");

        var during = await visitor.HistoryAsync(thread);
        Assert.True(during.Running);
        Assert.Equal("Working on it.", during.Messages[^1].Text);

        await events.WaitForAsync("done");
        var after = await visitor.HistoryAsync(thread);
        Assert.False(after.Running);
        Assert.Equal("Working on it.\n\nDone.", after.Messages[^1].Text);
    }

    [Fact]
    public async Task UnsupportedOrEmptyMessages_AreRefusedWithAClearError()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();

        using var exe = await visitor.SendAsync(thread, "Run this", ("tool.exe", "application/octet-stream", [1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, exe.StatusCode);
        Assert.Equal("I can't take tool.exe: .exe files are not supported.",
            (await exe.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        using var empty = await visitor.SendAsync(thread, "   ");
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("Type a message or attach a file.", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Empty(bed.OpenAI.ResponseRequests);
    }
}
