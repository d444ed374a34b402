using Bot.Testing;
using Microsoft.AspNetCore.Builder;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Bot.Host.Tests.Telemetry;

/// <summary>The bot's server in this process on a free loopback port, with helpers for its HTTP surface.</summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task<int> _run;

    private ServerUnderTest(int port, IEnumerable<string> args, Action<WebApplicationBuilder>? configure)
    {
        Port = port;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = Timeout,
        };
        Http.DefaultRequestHeaders.Add("X-Bot-Web", "1");
        _run = BotApplication.RunServerAsync(["--urls", $"http://127.0.0.1:{port}", .. args], new StringWriter(), configure, _stop.Token);
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public static async Task<ServerUnderTest> StartAsync(IEnumerable<string> args, Action<WebApplicationBuilder>? configure = null)
    {
        var server = new ServerUnderTest(LoopbackHost.FreePort(), args, configure);
        await server.WaitUntilAsync(async () => (await server.TryGetAsync("/healthz/live")) is not null, "the server to answer");
        return server;
    }

    /// <summary>GET, or null while nothing listens.</summary>
    public async Task<(HttpStatusCode Status, string Body)?> TryGetAsync(string pathOrUrl)
    {
        Assert.False(_run.IsCompleted, $"the server stopped: exit code {(_run.IsCompletedSuccessfully ? _run.Result : -1)}");
        try
        {
            using var response = await Http.GetAsync(new Uri(pathOrUrl, UriKind.RelativeOrAbsolute));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>One web chat message, as the page sends it; returns the thread.</summary>
    public async Task<string> SendWebMessageAsync(string text)
    {
        using var session = await Http.GetAsync(new Uri("/api/session", UriKind.Relative));
        session.EnsureSuccessStatusCode();
        var thread = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement.GetProperty("thread").GetString()!;
        using var form = new MultipartFormDataContent { { new StringContent(text, Encoding.UTF8), "text" } };
        using var sent = await Http.PostAsync(new Uri($"/api/threads/{thread}/messages", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        return thread;
    }

    /// <summary>Waits until the thread's history shows <paramref name="answer"/>.</summary>
    public Task WaitForAnswerAsync(string thread, string answer) =>
        WaitUntilAsync(async () => (await TryGetAsync($"/api/threads/{thread}"))?.Body.Contains(answer, StringComparison.Ordinal) == true, "the answer");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Http.Dispose();
            _stop.Dispose();
        }
    }
}
