using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.Tests.Api;

/// <summary>The text of a message is bounded as a whole, and so is the whole request body; a refused message leaves nothing behind.</summary>
public sealed class MessageLimitTests
{
    [Theory]
    [InlineData(100_000)]
    [InlineData(1_000_000)]
    public async Task TwentyTextParts_TogetherPastTheTextLimit_AreRefused_NothingIsStored_AndTheConversationGoesOn(int partBytes)
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        var form = new MultipartFormDataContent();
        for (var i = 0; i < 20; i++)
            form.Add(new StringContent(new string('a', partBytes), Encoding.UTF8), "text");

        using var response = await visitor.Http.PostAsync(new Uri($"/api/threads/{thread}/messages", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The message is too long. Attach long text as a .txt file.", await ErrorAsync(response));
        await AssertNothingStoredAsync(bed, visitor, thread);
        await AssertTheConversationGoesOnAsync(visitor, thread);
    }

    [Fact]
    public async Task ABodyPastWebMaxRequestBytes_IsRefusedBeforeItIsRead_WithTheLimitInTheSentence()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:MaxRequestBytes"] = "65536" });
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        // Expect: 100-continue, so that the bot answers before the body is sent and the answer cannot race the upload.
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = visitor.Cookies, Expect100ContinueTimeout = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = bed.Host.BaseUri,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/threads/{thread}/messages", UriKind.Relative))
        {
            Content = Form("Each file is fine, all of them are too much", ("a.csv", 40_000), ("b.csv", 40_000)),
        };
        request.Headers.Add("X-Bot-Web", "1");
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("The message with its files is larger than the 64 KB limit, so nothing was sent.", await ErrorAsync(response));
        await AssertNothingStoredAsync(bed, visitor, thread);
        await AssertTheConversationGoesOnAsync(visitor, thread);
    }

    [Fact]
    public async Task AChunkedBodyPastWebMaxRequestBytes_IsCutOffAsItStreams_NothingIsStored()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:MaxRequestBytes"] = "65536" });
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        // No Content-Length: only counting the bytes as they come can stop this one.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/threads/{thread}/messages", UriKind.Relative))
        {
            Content = Form("A file that never says how big it is", ("big.csv", 400_000)),
        };
        request.Headers.TransferEncodingChunked = true;

        HttpStatusCode? status = null;
        try
        {
            using var response = await visitor.Http.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The bot answered 413 and closed the connection while the rest of the body was still on its way.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"The bot answered {status}.");
        await AssertNothingStoredAsync(bed, visitor, thread);
        await AssertTheConversationGoesOnAsync(visitor, thread);
    }

    [Fact]
    public async Task AnUploadWhoseConnectionBreaksMidFile_LeavesNoPartialFile_AndTheConversationGoesOn()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        // A file part whose bytes stop coming: the sender gives up half-way (a closed tab, a dropped network).
        var head = Encoding.ASCII.GetBytes(
            "--cut\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cut.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            + string.Concat(Enumerable.Repeat("1,2\n", 50_000)));
        using var content = new StreamContent(new BreakingStream(head));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=cut");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/threads/{thread}/messages", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await Assert.ThrowsAnyAsync<Exception>(() => visitor.Http.SendAsync(request));

        await AssertNothingStoredAsync(bed, visitor, thread);
        await AssertTheConversationGoesOnAsync(visitor, thread);
    }

    /// <summary>Gives its bytes, then fails as a sender that went away does.</summary>
    private sealed class BreakingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position < Length ? base.Read(buffer, offset, count) : throw new IOException("The sender went away.");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("The sender went away.");
    }

    private static MultipartFormDataContent Form(string text, params (string Name, int Bytes)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(text, Encoding.UTF8), "text" } };
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("1,2\n", bytes / 4))));
            part.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(part, "files", name);
        }

        return form;
    }

    private static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();

    // Nothing in the inbox, the transcript or the uploads folder, and nothing sent to OpenAI.
    private static async Task AssertNothingStoredAsync(TestBed bed, WebChatClient visitor, string thread)
    {
        Assert.Empty(await bed.Host.Services.GetRequiredService<IConversationStore>().GetUnfinishedInboxAsync("web"));
        Assert.DoesNotContain(bed.Host.StoreCalls.Writes, w => w == nameof(IConversationStore.TryAcceptAsync));
        Assert.Empty((await visitor.HistoryAsync(thread)).Messages);
        // A refused upload's partial file is removed by the bot after the client may already have seen the connection close.
        await TestBed.WaitUntilAsync(() => !Directory.EnumerateFiles(bed.DataPath, "*", SearchOption.AllDirectories)
            .Any(f => f.Contains(Path.Combine("threads", thread), StringComparison.Ordinal)), "the refused upload's partial file to go");
        Assert.Empty(bed.OpenAI.ResponseRequests);
    }

    private static async Task AssertTheConversationGoesOnAsync(WebChatClient visitor, string thread)
    {
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "A short one then");
        await events.WaitForAsync("done");
        Assert.Equal("You said: A short one then", (await visitor.HistoryAsync(thread)).Messages[^1].Text);
    }
}
