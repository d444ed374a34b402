using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bot.Web.Threads;

namespace Bot.Web.Tests;

/// <summary>One visitor of the web chat, speaking its HTTP API as the page does.</summary>
internal sealed class WebChatClient : IDisposable
{
    private readonly HttpClient _http;

    public WebChatClient(Uri baseUri, CookieContainer cookies)
    {
        Cookies = cookies;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true }) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        _http.DefaultRequestHeaders.Add("X-Bot-Web", "1");
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    /// <summary>The visitor's current thread.</summary>
    public async Task<string> ThreadAsync()
    {
        using var response = await _http.GetAsync(new Uri("/api/session", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("thread").GetString()!;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(new Uri(path, UriKind.Relative));

    public Task<HttpResponseMessage> PostAsync(string path) => _http.PostAsync(new Uri(path, UriKind.Relative), null);

    public async Task<ThreadSnapshot> HistoryAsync(string thread)
    {
        using var response = await GetAsync($"/api/threads/{thread}");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ThreadSnapshot>(WebJson.Options))!;
    }

    /// <summary>Sends a message as the page does (multipart: text and files).</summary>
    public Task<HttpResponseMessage> SendAsync(string thread, string text, params (string Name, string ContentType, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent { { new StringContent(text, Encoding.UTF8), "text" } };
        foreach (var (name, contentType, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "files", name);
        }

        return _http.PostAsync(new Uri($"/api/threads/{thread}/messages", UriKind.Relative), form);
    }

    /// <summary>Sends a message and checks it was accepted.</summary>
    public async Task SendOkAsync(string thread, string text, params (string Name, string ContentType, byte[] Content)[] files)
    {
        using var response = await SendAsync(thread, text, files);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens the thread's event stream; it starts with the <c>sync</c> event.</summary>
    public async Task<EventReader> EventsAsync(string thread)
    {
        var response = await _http.GetAsync(new Uri($"/api/threads/{thread}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventReader(response, await response.Content.ReadAsStreamAsync());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A server-sent event as the page receives it.</summary>
internal sealed record ServerEvent(string Type, JsonElement Data)
{
    public string? Text => Data.TryGetProperty("text", out var text) ? text.GetString() : null;

    public string? Role => Data.TryGetProperty("role", out var role) ? role.GetString() : null;
}

/// <summary>Reads a thread's event stream, keeping every event seen.</summary>
internal sealed class EventReader(HttpResponseMessage response, Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    public List<ServerEvent> Seen { get; } = [];

    /// <summary>Reads until an event matches (generous timeout: the machine may be busy).</summary>
    public async Task<ServerEvent> WaitForAsync(Func<ServerEvent, bool> match, int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        string? type = null;
        var data = new StringBuilder();
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The event stream ended.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data.Append(line["data: ".Length..]);
            else if (line.Length == 0 && type is not null)
            {
                var item = new ServerEvent(type, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                Seen.Add(item);
                (type, data) = (null, data.Clear());
                if (match(item))
                    return item;
            }
        }
    }

    public Task<ServerEvent> WaitForAsync(string type, int seconds = 60) => WaitForAsync(e => e.Type == type, seconds);

    public void Dispose()
    {
        _reader.Dispose();
        response.Dispose();
    }
}
