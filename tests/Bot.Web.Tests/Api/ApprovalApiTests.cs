using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bot.Testing.OpenAI;
using Bot.Web.Threads;

namespace Bot.Web.Tests.Api;

/// <summary>
/// Approvals in the web chat (issue 12, point 4), at the API level: the question arrives in the thread's event stream,
/// the visitor's POST answers it and the answer continues the same reply; someone else's, a second, a malformed or an
/// oversized answer is refused with the sentence every channel uses.
/// </summary>
public sealed class ApprovalApiTests
{
    private const string Arguments = "{\"title\":\"<img src=x onerror=alert(1)>\"}";

    private static readonly Dictionary<string, string?> s_mcp = new()
    {
        ["OpenAI:Mcp:Servers:0:Label"] = "github",
        ["OpenAI:Mcp:Servers:0:Url"] = "https://mcp.example/github",
    };

    [Fact]
    public async Task Approve_TheQuestionArrivesInTheStream_TheAnswerContinuesTheSameReply_AndTheQuestionSettles()
    {
        await using var bed = await TestBed.StartAsync(s_mcp);
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("I will file it.").McpCall("github", "create_issue", Arguments, "Created #12").Text("Filed as #12."));
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "file a bug");

        var question = await events.WaitForAsync("approval");
        Assert.Equal("Allow github to run create_issue?", question.Data.GetProperty("heading").GetString());
        Assert.Equal(Arguments, question.Data.GetProperty("arguments").GetString());
        Assert.False(question.Data.TryGetProperty("outcome", out var open) && open.ValueKind != JsonValueKind.Null);
        var id = question.Data.GetProperty("id").GetString()!;
        Assert.Equal(id, Assert.Single((await visitor.HistoryAsync(thread)).Approvals!).Id); // a page connecting now sees it too

        using (var answer = await AnswerAsync(visitor, thread, id, "{\"approve\":true}"))
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var settled = await events.WaitForAsync(e => e.Type == "approval" && e.Data.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String);
        Assert.Equal("Approved.", settled.Data.GetProperty("outcome").GetString());
        Assert.Equal("Completed", (await events.WaitForAsync("done")).Data.GetProperty("status").GetString());
        var replies = events.Seen.Where(e => e.Type == "message" && e.Role == WebMessage.Assistant).Select(e => e.Data.GetProperty("id").GetString()).Distinct();
        Assert.Single(replies);
        Assert.Equal("I will file it.\n\nFiled as #12.", events.Seen.Last(e => e.Type == "message" && e.Role == WebMessage.Assistant).Text);
        Assert.True(Assert.Single(bed.OpenAI.ResponseRequests[1].McpApprovalResponses).Approve);
        Assert.Null((await visitor.HistoryAsync(thread)).Approvals);
    }

    [Fact]
    public async Task SomeoneElse_ASecondClick_AndBadBodies_AreRefused_AndChangeNothing()
    {
        await using var bed = await TestBed.StartAsync(s_mcp);
        bed.OpenAI.Enqueue(FakeResponse.Stream().McpCall("github", "create_issue", Arguments, "Created #12").Text("Filed as #12."));
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "file a bug");
        var id = (await events.WaitForAsync("approval")).Data.GetProperty("id").GetString()!;
        using var stranger = bed.Host.Visitor();
        var strangersThread = await stranger.ThreadAsync();

        using (var notTheirThread = await AnswerAsync(stranger, thread, id, "{\"approve\":true}"))
            Assert.Equal(HttpStatusCode.NotFound, notTheirThread.StatusCode);
        await AssertRefusedAsync(await AnswerAsync(stranger, strangersThread, id, "{\"approve\":true}"), "not_yours",
            "Only the person who asked (or an admin) can answer this.");
        using (var malformed = await AnswerAsync(visitor, thread, id, "{\"approve\":\"yes\"}"))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var oversized = await AnswerAsync(visitor, thread, id, "{\"approve\":false,\"pad\":\"" + new string('x', 300) + "\"}"))
            Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
        Assert.DoesNotContain(events.Seen, e => e.Type == "done");

        using (var deny = await AnswerAsync(visitor, thread, id, "{\"approve\":false}"))
            Assert.Equal(HttpStatusCode.OK, deny.StatusCode);
        await AssertRefusedAsync(await AnswerAsync(visitor, thread, id, "{\"approve\":true}"), "already_answered", "This was already answered.");
        await AssertRefusedAsync(await AnswerAsync(visitor, thread, "0123456789abcdef01234567", "{\"approve\":true}"), "expired",
            "This question has expired.");

        await events.WaitForAsync("done");
        Assert.Equal(FakeResponse.DeniedText("github", "create_issue"), events.Seen.Last(e => e.Type == "message" && e.Role == WebMessage.Assistant).Text);
        Assert.False(Assert.Single(bed.OpenAI.ResponseRequests[1].McpApprovalResponses).Approve);
    }

    private static Task<HttpResponseMessage> AnswerAsync(WebChatClient visitor, string thread, string id, string body) =>
        visitor.Http.PostAsync(new Uri($"/api/threads/{thread}/approvals/{id}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string code, string sentence)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var error = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((code, sentence), (error.GetProperty("code").GetString(), error.GetProperty("error").GetString()));
        }
    }
}
