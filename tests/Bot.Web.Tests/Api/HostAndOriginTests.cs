using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Web.Access;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Web.Tests.Api;

/// <summary>DNS rebinding and cross-site requests: the Host of every route and the Origin of every change are checked.</summary>
public sealed class HostAndOriginTests
{
    [Fact]
    public async Task ARequestForAHostNameThatIsNotAllowed_IsRefusedOnEveryRoute_AndChangesNothing()
    {
        await using var bed = await TestBed.StartAsync();
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();

        // What a page on evil.example sends once its name resolves to 127.0.0.1: the browser's Host is evil.example.
        var host = $"evil.example:{bed.Host.BaseUri.Port}";
        foreach (var (method, path) in Routes(thread))
        {
            using var response = await SendAsync(visitor, method, path, host: host);

            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {response.StatusCode}");
            if (path.StartsWith("/api/", StringComparison.Ordinal))
                Assert.Equal("host", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            else
                Assert.Contains("Web:AllowedHosts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty((await visitor.HistoryAsync(thread)).Messages);
        Assert.Equal(thread, await visitor.ThreadAsync());
        Assert.Empty(bed.OpenAI.ResponseRequests);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("10.1.2.3")] // an address, not a name: no page on another site can have it as its host
    [InlineData("chat.example.com")]
    [InlineData("team.corp.example")]
    public async Task LoopbackNames_Addresses_AndWebAllowedHosts_AreServed(string name)
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?>
        {
            ["Web:AllowedHosts:0"] = "chat.example.com", ["Web:AllowedHosts:1"] = "*.corp.example",
        });
        using var visitor = bed.Host.Visitor();
        var host = $"{name}:{bed.Host.BaseUri.Port}";

        using var page = await SendAsync(visitor, "GET", "/", host: host);
        using var session = await SendAsync(visitor, "GET", "/api/session", host: host);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    [Fact]
    public async Task AChangeFromAPageOnAnotherSite_IsRefused_FromTheChatsOwnPage_IsTaken()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:AllowedHosts:0"] = "chat.example.com" });
        using var visitor = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();

        foreach (var origin in new[] { "http://evil.example", $"http://evil.example:{bed.Host.BaseUri.Port}", "null", "http://10.9.9.9" })
        {
            foreach (var (method, path) in Routes(thread).Where(r => r.Method == "POST"))
            {
                using var response = await SendAsync(visitor, method, path, origin: origin);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{origin} {method} {path}: {response.StatusCode}");
                Assert.Equal("origin", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            }
        }

        Assert.Empty((await visitor.HistoryAsync(thread)).Messages);
        Assert.Equal(thread, await visitor.ThreadAsync());

        // The page itself (its Origin is the bot's own address) and a named allowed host may change things.
        var own = bed.Host.BaseUri.GetLeftPart(UriPartial.Authority);
        using var events = await visitor.EventsAsync(thread);
        using (var send = await SendAsync(visitor, "POST", $"/api/threads/{thread}/messages", origin: own))
            Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        await events.WaitForAsync("done");
        using (var stop = await SendAsync(visitor, "POST", $"/api/threads/{thread}/stop", origin: "https://chat.example.com"))
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
    }

    [Fact]
    public void TheHostsOfTheConfiguredUrls_AreAllowed_WildcardListenersNameNothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://bot.internal:8080;http://0.0.0.0:9000;http://+:80;http://*:81;http://[::]:82",
            ["Kestrel:Endpoints:Https:Url"] = "https://chat.intranet:8443",
        }).Build();
        var guard = new HostGuard(Options.Create(new WebChatOptions { AllowedHosts = ["Chat.Example.com:8080", "*.corp.example", "::1"] }), configuration);

        Assert.True(guard.IsAllowedHost(new("bot.internal:8080")));
        Assert.True(guard.IsAllowedHost(new("chat.intranet")));
        Assert.True(guard.IsAllowedHost(new("chat.example.com")));
        Assert.True(guard.IsAllowedHost(new("a.b.corp.example")));
        Assert.True(guard.IsAllowedHost(new("localhost.")));
        Assert.False(guard.IsAllowedHost(new("corp.example")));
        Assert.False(guard.IsAllowedHost(new("bot.internal.evil.example")));
        Assert.False(guard.IsAllowedHost(new("*")));
        Assert.False(guard.IsAllowedHost(new("+")));
        Assert.False(guard.IsAllowedHost(default));

        Assert.True(guard.IsAllowedOrigin("http://bot.internal:8080", new("127.0.0.1:8080")));
        Assert.True(guard.IsAllowedOrigin("http://10.0.0.5:8080", new("10.0.0.5:8080")));
        Assert.False(guard.IsAllowedOrigin("http://10.0.0.6:8080", new("10.0.0.5:8080")));
        Assert.False(guard.IsAllowedOrigin("http://evil.example", new("127.0.0.1:8080")));
        Assert.False(guard.IsAllowedOrigin("file://", new("127.0.0.1:8080")));
    }

    [Fact]
    public void AnAllowedHostThatIsNoHostName_StopsTheStart_NamingTheKey()
    {
        var options = new WebChatOptions { AllowedHosts = ["https://chat.example.com/"] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(WebChatOptions.AllowedHosts)) && e.ErrorMessage!.Contains("https://chat.example.com/", StringComparison.Ordinal));
    }

    private static (string Method, string Path)[] Routes(string thread) =>
    [
        ("GET", "/"), ("GET", "/assets/app.js"), ("GET", "/api/session"), ("GET", "/api/usage"), ("POST", "/api/access"), ("GET", $"/api/threads/{thread}"),
        ("GET", $"/api/threads/{thread}/events"), ("POST", $"/api/threads/{thread}/messages"), ("POST", $"/api/threads/{thread}/stop"),
        ("POST", $"/api/threads/{thread}/reset"), ("GET", $"/api/threads/{thread}/files/0123456789abcdef"),
    ];

    private static Task<HttpResponseMessage> SendAsync(WebChatClient visitor, string method, string path, string? host = null, string? origin = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (host is not null)
            request.Headers.Host = host;
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        if (path.EndsWith("/messages", StringComparison.Ordinal))
            request.Content = new MultipartFormDataContent { { new StringContent("Hello from somewhere"), "text" } };
        return visitor.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
