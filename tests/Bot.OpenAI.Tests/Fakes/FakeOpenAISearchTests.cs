using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Fakes;

/// <summary>
/// The fake speaks web search, URL citations and compaction as the specification defines them and the SDK reads them,
/// and checks `context_management` and `truncation` in requests (issue 12, point 6).
/// </summary>
public sealed class FakeOpenAISearchTests
{
    [Fact]
    public async Task WebSearchCall_StreamsItsEvents_AndUrlCitationsCarryUrlTitleAndSpan()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        const string text = "It is sunny ([Météo](https://meteo.example/paris)).";
        server.Enqueue(FakeResponse.Stream().WebSearch("weather Paris").WebSearch("weather Oslo", failed: true)
            .Text(text, FakeCitation.Url("https://meteo.example/paris", "Météo Paris", 12, text.Length - 1)));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(await sdk.NewConversationAsync(), "weather?"));

        var searches = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<WebSearchCallResponseItem>().ToList();
        Assert.Equal([WebSearchCallStatus.Completed, WebSearchCallStatus.Failed], searches.Select(s => s.Status));
        Assert.Equal(2, updates.OfType<StreamingResponseWebSearchCallInProgressUpdate>().Count());
        Assert.Equal(2, updates.OfType<StreamingResponseWebSearchCallSearchingUpdate>().Count());
        Assert.Equal(searches[0].Id, Assert.Single(updates.OfType<StreamingResponseWebSearchCallCompletedUpdate>()).ItemId);
        var citation = Assert.IsType<UriCitationMessageAnnotation>(Assert.Single(updates.OfType<StreamingResponseOutputTextAnnotationAddedUpdate>()).Annotation);
        Assert.Equal(("https://meteo.example/paris", "Météo Paris", 12, text.Length - 1),
            (citation.Uri.OriginalString, citation.Title, citation.StartIndex, citation.EndIndex));
    }

    [Fact]
    public async Task CompactionItem_IsAnOutputItem_TheSdkReadsTheResponseAroundIt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var sdk = new FakeOpenAISdk(server);
        server.Enqueue(FakeResponse.Stream().Compaction().Text("Still here."));

        var updates = await sdk.StreamAsync(FakeOpenAISdk.Turn(await sdk.NewConversationAsync(), "hi"));

        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal("Still here.", completed.Response.GetOutputText());
        Assert.Equal(2, completed.Response.OutputItems.Count);
    }

    [Theory]
    [InlineData("""[{"type":"compaction","compact_threshold":200000}]""", null, HttpStatusCode.OK)]
    [InlineData("""[]""", null, HttpStatusCode.BadRequest)]
    [InlineData("""[{"type":"compaction","compact_threshold":999}]""", null, HttpStatusCode.BadRequest)]
    [InlineData("""{"type":"compaction"}""", null, HttpStatusCode.BadRequest)]
    [InlineData(null, "\"auto\"", HttpStatusCode.OK)]
    [InlineData(null, "\"sometimes\"", HttpStatusCode.BadRequest)]
    public async Task ContextManagementAndTruncation_AreCheckedAsTheSpecificationHasThem(string? contextManagement, string? truncation, HttpStatusCode expected)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var http = new FakeOpenAISdk(server).Http();
        var body = """{"model":"gpt-test","input":"hi","stream":false""" + (contextManagement is null ? "" : $",\"context_management\":{contextManagement}")
            + (truncation is null ? "" : $",\"truncation\":{truncation}") + "}";

        using var response = await http.PostAsync("responses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task RejectContextManagement_AnswersAsAServerWithoutIt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.RejectContextManagement = true;
        using var http = new FakeOpenAISdk(server).Http();

        using var response = await http.PostAsync("responses", new StringContent(
            """{"model":"gpt-test","input":"hi","context_management":[{"type":"compaction","compact_threshold":200000}]}""",
            System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(("unknown_parameter", "context_management"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
        Assert.Equal(1, server.ContextManagementRejections);
        Assert.Empty(server.ResponseRequests);
    }
}
