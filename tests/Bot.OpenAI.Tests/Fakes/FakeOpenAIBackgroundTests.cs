using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>The fake's streamed background responses on the wire: replay after starting_after, the stored object, cancel, cuts.</summary>
public sealed class FakeOpenAIBackgroundTests
{
    private const string Text = "One two three four five six seven eight nine ten.";

    [Fact]
    public async Task StreamAgainWithStartingAfter_SendsExactlyTheEventsAfterIt_ByteForByte()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = Http(server);
        server.Enqueue(FakeResponse.Stream().Text(Text));

        var first = Frames(await PostAsync(http, """{"model":"gpt-test","input":"hi","stream":true,"background":true}"""));
        var id = JsonDocument.Parse(Data(first[0])).RootElement.GetProperty("response").GetProperty("id").GetString()!;
        var again = Frames(await http.GetStringAsync($"responses/{id}?stream=true&starting_after=3"));
        var whole = Frames(await http.GetStringAsync($"responses/{id}?stream=true"));

        Assert.Equal(first.Skip(4), again);
        Assert.Equal(first, whole);
        Assert.Equal(Enumerable.Range(0, first.Count), first.Select(f => JsonDocument.Parse(Data(f)).RootElement.GetProperty("sequence_number").GetInt32()));
        Assert.Equal([(id, 3L), (id, (long?)null)], server.ResumeRequests);
        using var stored = JsonDocument.Parse(await http.GetStringAsync($"responses/{id}"));
        Assert.True(stored.RootElement.GetProperty("background").GetBoolean());
        Assert.Equal("completed", stored.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task StartingAfterBeyondTheLastEvent_IsRefused()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = Http(server);
        server.Enqueue(FakeResponse.Stream().Text(Text));
        var first = Frames(await PostAsync(http, """{"model":"gpt-test","input":"hi","stream":true,"background":true}"""));
        var id = JsonDocument.Parse(Data(first[0])).RootElement.GetProperty("response").GetProperty("id").GetString()!;

        using var beyond = await http.GetAsync($"responses/{id}?stream=true&starting_after={first.Count + 5}");
        using var last = await http.GetAsync($"responses/{id}?stream=true&starting_after={first.Count - 1}");

        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains("starting_after", await beyond.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        Assert.Empty(Frames(await last.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task BackgroundResponse_GoesOnWithoutItsClient_UntilCancelled_ThenCancelledForGood()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = Http(server);
        server.CutOnceAfter(3);
        server.Enqueue(FakeResponse.Stream().Text("Slow start").Delay(TimeSpan.FromSeconds(60)).Text(" never"));

        var first = Frames(await PostAsync(http, """{"model":"gpt-test","input":"hi","stream":true,"background":true}""", allowCut: true));
        var id = JsonDocument.Parse(Data(first[0])).RootElement.GetProperty("response").GetProperty("id").GetString()!;
        Assert.Equal(3, first.Count);
        Assert.Equal("in_progress", server.ResponseStatus(id));

        using var cancel = await http.PostAsync($"responses/{id}/cancel", null);
        using var again = await http.PostAsync($"responses/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.Equal("cancelled", server.ResponseStatus(id));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var rest = Frames(await http.GetStringAsync($"responses/{id}?stream=true&starting_after=2"));
        Assert.DoesNotContain(rest, f => f.Contains("response.completed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectBackground_AnswersAsAServerWithoutIt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = Http(server);
        server.RejectBackground = true;

        using var refused = await http.PostAsync("responses",
            new StringContent("""{"model":"gpt-test","input":"hi","stream":true,"background":true}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("background", error.GetProperty("param").GetString());
        Assert.Equal(1, server.BackgroundRejections);
        Assert.Empty(server.ResponseRequests);
    }

    private static HttpClient Http(FakeOpenAIServer server)
    {
        var http = new HttpClient { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FakeOpenAIServer.ApiKey);
        return http;
    }

    private static async Task<string> PostAsync(HttpClient http, string body, bool allowCut = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "responses") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var text = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var buffer = new char[1024];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0)
                text.Append(buffer, 0, read);
        }
        catch (Exception e) when (allowCut && e is IOException or HttpRequestException)
        {
            // The fake cut the connection, as asked.
        }

        return text.ToString();
    }

    private static List<string> Frames(string sse) => [.. sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)];

    private static string Data(string frame) => frame[(frame.IndexOf("data: ", StringComparison.Ordinal) + 6)..];
}
