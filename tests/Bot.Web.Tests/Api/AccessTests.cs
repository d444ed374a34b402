using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Web.Access;

namespace Bot.Web.Tests.Api;

public sealed class AccessTests
{
    private const string Key = "key-for-the-test-0123";
    private static readonly IPAddress s_remote = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task FromAnotherMachine_WithoutConfiguredKeys_EverythingIsRefused()
    {
        await using var bed = await TestBed.StartAsync(remoteAddress: s_remote);
        using var visitor = bed.Host.Visitor();

        using var session = await visitor.GetAsync("/api/session");

        Assert.Equal(HttpStatusCode.Forbidden, session.StatusCode);
        Assert.Equal("loopback_only", await CodeAsync(session));
        using var access = await visitor.Http.PostAsync(new Uri("/api/access", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Key }));
        Assert.Equal(HttpStatusCode.Forbidden, access.StatusCode);
    }

    [Fact]
    public async Task FromAnotherMachine_MissingOrWrongKey_IsRefused_RightKeyIsLetIn()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:AccessKeys:0"] = Key }, s_remote);
        using var visitor = bed.Host.Visitor();

        using (var missing = await visitor.GetAsync("/api/session"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
            Assert.Equal("access_key", await CodeAsync(missing));
        }

        visitor.Http.DefaultRequestHeaders.Add("X-Access-Key", "not-the-right-key-at-all");
        using (var wrong = await visitor.GetAsync("/api/session"))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var wrongSend = await visitor.SendAsync("0123456789abcdef", "hi"))
            Assert.Equal(HttpStatusCode.Unauthorized, wrongSend.StatusCode);

        visitor.Http.DefaultRequestHeaders.Remove("X-Access-Key");
        visitor.Http.DefaultRequestHeaders.Add("X-Access-Key", Key);
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "Let me in");
        await events.WaitForAsync("done");
        Assert.Single(bed.OpenAI.ResponseRequests);
    }

    [Fact]
    public async Task AKeyEnteredOnce_IsKeptInAnHttpOnlyCookie()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:AccessKeys:0"] = Key }, s_remote);
        using var visitor = bed.Host.Visitor();

        using (var wrong = await visitor.Http.PostAsync(new Uri("/api/access", UriKind.Relative),
                   new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "wrong-key-wrong-key" })))
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using var access = await visitor.Http.PostAsync(new Uri("/api/access", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = Key }));
        Assert.Equal(HttpStatusCode.NoContent, access.StatusCode);
        var cookie = Assert.Single(access.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bot_web_key=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var session = await visitor.GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task AnotherVisitor_CannotReadWatchSendStopResetOrDownload()
    {
        await using var bed = await TestBed.StartAsync();
        using var owner = bed.Host.Visitor();
        var thread = await owner.ThreadAsync();
        using (var events = await owner.EventsAsync(thread))
        {
            await owner.SendOkAsync(thread, "My secret plan");
            await events.WaitForAsync("done");
        }

        using var stranger = bed.Host.Visitor();
        Assert.NotEqual(thread, await stranger.ThreadAsync());
        foreach (var (method, path) in new[]
                 {
                     ("GET", $"/api/threads/{thread}"), ("GET", $"/api/threads/{thread}/events"), ("POST", $"/api/threads/{thread}/stop"),
                     ("POST", $"/api/threads/{thread}/reset"), ("GET", $"/api/threads/{thread}/files/0123456789abcdef"),
                 })
        {
            using var response = method == "GET" ? await stranger.GetAsync(path) : await stranger.PostAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
        }

        using (var send = await stranger.SendAsync(thread, "Mine now"))
            Assert.Equal(HttpStatusCode.NotFound, send.StatusCode);

        var history = await owner.HistoryAsync(thread);
        Assert.Equal(["My secret plan", "You said: My secret plan"], history.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task VisitorCookie_IsHttpOnly_AndAChangeRequestWithoutThePageHeaderIsRefused()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        using var session = await visitor.GetAsync("/api/session");
        var cookie = Assert.Single(session.Headers.GetValues("Set-Cookie"), c => c.StartsWith("bot_web_visitor=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var thread = (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("thread").GetString();

        visitor.Http.DefaultRequestHeaders.Remove("X-Bot-Web");
        using var reset = await visitor.PostAsync($"/api/threads/{thread}/reset");

        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode);
        Assert.Equal(thread, await visitor.ThreadAsync());
    }

    [Fact]
    public async Task ThePage_IsServedWithAStrictContentSecurityPolicy()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();

        using var page = await visitor.GetAsync("/");
        page.EnsureSuccessStatusCode();
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        foreach (var asset in new[] { "/assets/app.js", "/assets/markdown.js", "/assets/app.css" })
        {
            using var response = await visitor.GetAsync(asset);
            Assert.True(response.IsSuccessStatusCode, asset);
        }
    }

    [Fact]
    public async Task WrongKeys_LockTheAddressOut_With429AndRetryAfter_EvenForTheRightKey_OtherAddressesGoOn()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Web:AccessKeys:0"] = Key, ["Web:FailedKeyWindow"] = "00:10:00",
        }, s_remote);
        using var guesser = bed.Host.Visitor();

        // Five wrong keys, by header and by the page's form alike.
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await GetWithKeyAsync(guesser, "/api/session", $"wrong-key-number-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        for (var i = 3; i < 5; i++)
        {
            using var wrong = await PostKeyAsync(guesser, $"wrong-key-number-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        foreach (var attempt in new Func<Task<HttpResponseMessage>>[] { () => GetWithKeyAsync(guesser, "/api/session", Key), () => PostKeyAsync(guesser, Key) })
        {
            using var locked = await attempt();
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.Equal("too_many_attempts", await CodeAsync(locked));
            Assert.InRange(locked.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        }

        using var neighbour = bed.Host.Visitor();
        neighbour.Http.DefaultRequestHeaders.Add(WebChatHost.RemoteAddressHeader, "198.51.100.9");
        using var allowed = await GetWithKeyAsync(neighbour, "/api/session", Key);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task TheAccessCookie_HoldsNoKey_IsSignedByTheBot_AndEndsWithItsKey()
    {
        const string otherKey = "the-other-key-0123456";
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:AccessKeys:0"] = Key, ["Web:AccessKeys:1"] = otherKey },
            s_remote);
        var cookies = new CookieContainer();
        using (var visitor = bed.Host.Visitor(cookies))
        {
            using var access = await PostKeyAsync(visitor, Key);
            Assert.Equal(HttpStatusCode.NoContent, access.StatusCode);
        }

        var pass = cookies.GetCookies(bed.Host.BaseUri)[AccessGate.KeyCookie]!.Value;
        Assert.DoesNotContain(Key, Uri.UnescapeDataString(pass), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(bed, cookies));

        // A changed or hand-made cookie is refused, the raw key in it too.
        foreach (var forged in new[] { pass[..^2] + (pass[^2] == 'A' ? "BA" : "AA"), Key, "0." + pass[(pass.IndexOf('.', StringComparison.Ordinal) + 1)..] })
        {
            var other = new CookieContainer();
            other.Add(bed.Host.BaseUri, new Cookie(AccessGate.KeyCookie, forged));
            Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(bed, other));
        }

        // The bot's secret outlives a restart; removing the key ends its cookies.
        await bed.RestartAsync();
        Assert.Equal(HttpStatusCode.OK, await SessionStatusAsync(bed, cookies));
        await bed.RestartAsync(new Dictionary<string, string?> { ["Web:AccessKeys:0"] = otherKey });
        Assert.Equal(HttpStatusCode.Unauthorized, await SessionStatusAsync(bed, cookies));
    }

    private static async Task<HttpStatusCode> SessionStatusAsync(TestBed bed, CookieContainer cookies)
    {
        using var visitor = bed.Host.Visitor(cookies);
        using var session = await visitor.GetAsync("/api/session");
        return session.StatusCode;
    }

    private static Task<HttpResponseMessage> GetWithKeyAsync(WebChatClient visitor, string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(AccessGate.KeyHeader, key);
        return visitor.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> PostKeyAsync(WebChatClient visitor, string key) =>
        visitor.Http.PostAsync(new Uri("/api/access", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }));

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
}
