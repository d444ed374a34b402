using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bot.Core.Net;
using Bot.Core.Telemetry;
using Bot.Discord.Adapter;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Rest;

/// <summary>
/// Discord's REST API v10 over HttpClient: the bot token and a bot User-Agent on every call, per-bucket
/// queues driven by the X-RateLimit-* headers (one per route and major parameter), the global 50/s limit, and 429s waited out (route, shared
/// and global scopes) so that a request is delayed rather than lost.
/// </summary>
internal sealed partial class DiscordRestClient : IDisposable
{
    private const int MaxAttempts = 6;
    // A 429's wait (JSON retry_after, else the Retry-After header) is held to ten minutes; a 5xx is retried after 0.5 s, 1 s.
    private static readonly Backoff s_rateLimitWait = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
    private static readonly Backoff s_serverErrorWait = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
    private static readonly string s_userAgent =
        $"DiscordBot (https://github.com/, {typeof(DiscordRestClient).Assembly.GetName().Version?.ToString(3) ?? "1.0.0"}) Bot.Discord";

    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly GlobalRateLimit _global;
    private readonly ConcurrentDictionary<string, RateLimitBucket> _buckets = new(StringComparer.Ordinal);
    private long _rateLimited;

    public DiscordRestClient(DiscordOptions options, TimeProvider time, ILogger<DiscordRestClient> logger, HttpMessageHandler? handler = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(s_userAgent);
        _baseUrl = options.RestBaseUrl.TrimEnd('/');
        _time = time;
        _logger = logger;
        _timeout = options.RequestTimeout;
        _global = new GlobalRateLimit(time);
    }

    /// <summary>
    /// Requests per second this process sends at most outside interaction responses: Discord's global 50, or this
    /// instance's share of it when several instances use one bot token (<see cref="RestBudget"/>).
    /// </summary>
    public int GlobalLimit
    {
        get => _global.Limit;
        set => _global.Limit = value;
    }

    /// <summary>429 responses received so far (a well-paced bot keeps this at zero).</summary>
    public long RateLimitedResponses => Interlocked.Read(ref _rateLimited);

    /// <summary>Sends a JSON request (or none when <paramref name="body"/> is null) and returns the JSON answer (null for 204).</summary>
    public Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken = default) =>
        SendAsync(method, path, () => body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            cancellationToken);

    /// <summary>Sends a multipart request: <c>payload_json</c> plus one <c>files[n]</c> part per file.</summary>
    public Task<JsonNode?> SendMultipartAsync(HttpMethod method, string path, JsonNode payload, IReadOnlyList<UploadFile> files,
        CancellationToken cancellationToken = default) =>
        SendAsync(method, path, () =>
        {
            var form = new MultipartFormDataContent();
            var json = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
            form.Add(json, "\"payload_json\"");
            for (var i = 0; i < files.Count; i++)
            {
                var part = new ReadOnlyMemoryContent(files[i].Content);
                part.Headers.ContentType = MediaTypeHeaderValue.TryParse(files[i].MediaType, out var type)
                    ? type : new MediaTypeHeaderValue("application/octet-stream");
                form.Add(part, $"\"files[{i}]\"", $"\"{files[i].FileName.Replace("\"", "", StringComparison.Ordinal)}\"");
            }

            return form;
        }, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, Func<HttpContent?> content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var route = RouteKey.From(method, path);
        // Interaction responses are exempt from the global limit and never wait behind other traffic.
        var interaction = path.StartsWith("/interactions/", StringComparison.Ordinal);
        // New messages (the first text of a reply) go before edits when the global limit is the bottleneck.
        var urgent = method == HttpMethod.Post && route.Route == "POST /channels/:id/messages";
        for (var attempt = 1; ; attempt++)
        {
            var bucket = Bucket(route);
            try
            {
                await bucket.Gate.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Discord did not complete {route.Route} within {_timeout}.");
            }

            try
            {
                for (var wait = bucket.Reserve(); wait > TimeSpan.Zero; wait = bucket.Reserve())
                    await Task.Delay(wait, _time, timeout.Token).ConfigureAwait(false);
                var slot = interaction ? null : await _global.AcquireAsync(urgent, timeout.Token).ConfigureAwait(false);
                using var request = new HttpRequestMessage(method, _baseUrl + path) { Content = content() };
                HttpResponseMessage sent;
                try
                {
                    sent = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    slot?.Complete();
                }

                using var response = sent;
                Learn(bucket, response);
                var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return text.Length == 0 ? null : JsonNode.Parse(text);

                var failure = Failure(response, text);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
                {
                    Interlocked.Increment(ref _rateLimited);
                    var (retryAfter, scope) = RateLimit(response, text, _time.GetUtcNow());
                    Log.RateLimited(_logger, route.Route, scope, retryAfter);
                    CoreTelemetry.RateLimited(DiscordChannel.ChannelName, scope is "global" or "shared" or "user" ? scope : "other");
                    CoreTelemetry.Retried(DiscordChannel.ChannelName, "429");
                    if (scope == "global")
                        _global.Block(retryAfter);
                    else
                        bucket.Exhaust(retryAfter);
                    continue;
                }

                if ((int)response.StatusCode >= 500 && attempt < 3)
                {
                    Log.ServerError(_logger, route.Route, (int)response.StatusCode, attempt);
                    CoreTelemetry.Retried(DiscordChannel.ChannelName, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    await Task.Delay(s_serverErrorWait.Delay(attempt - 1), _time, timeout.Token).ConfigureAwait(false);
                    continue;
                }

                throw failure;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Discord did not complete {route.Route} within {_timeout}.");
            }
            finally
            {
                bucket.Gate.Release();
            }
        }
    }

    // One bucket per route and major parameter, for the bucket's whole life: requests that queued on it before its
    // first response stay on the same object as later ones, so they never go out side by side.
    private RateLimitBucket Bucket(RouteKey route) => _buckets.GetOrAdd(route.Route + "|" + route.Major, _ => new RateLimitBucket(_time));

    private static void Learn(RateLimitBucket bucket, HttpResponseMessage response)
    {
        var limit = Header(response, "X-RateLimit-Limit");
        var remaining = Header(response, "X-RateLimit-Remaining");
        var resetAfter = Header(response, "X-RateLimit-Reset-After");
        bucket.Update(limit is null ? null : (int)limit.Value, remaining is null ? null : (int)remaining.Value,
            resetAfter is null ? null : TimeSpan.FromSeconds(resetAfter.Value));
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) &&
        double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value : null;

    // Discord's JSON retry_after (seconds, with a fraction) is the exact one; the header is the fallback, then a second.
    private static (TimeSpan RetryAfter, string Scope) RateLimit(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        double? seconds = null;
        var global = false;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                seconds = json["retry_after"]?.GetValue<double>();
                global = json["global"]?.GetValue<bool>() ?? false;
            }
        }
        catch (JsonException)
        {
        }

        var wait = seconds is { } s && double.IsFinite(s) ? TimeSpan.FromSeconds(Math.Min(s, 86_400)) : RetryAfter.From(response, now);
        var scope = response.Headers.TryGetValues("X-RateLimit-Scope", out var scopes) ? scopes.First() : global ? "global" : "user";
        if (response.Headers.Contains("X-RateLimit-Global"))
            scope = "global";
        return (s_rateLimitWait.Delay(0, wait ?? TimeSpan.FromSeconds(1)), scope);
    }

    private static DiscordApiException Failure(HttpResponseMessage response, string body)
    {
        var code = 0;
        var message = response.ReasonPhrase ?? "error";
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                code = json["code"]?.GetValue<int>() ?? 0;
                message = json["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
        }

        return new DiscordApiException(response.StatusCode, code, message);
    }
}

/// <summary>A file to upload with a message.</summary>
internal sealed record UploadFile(string FileName, string MediaType, ReadOnlyMemory<byte> Content);
