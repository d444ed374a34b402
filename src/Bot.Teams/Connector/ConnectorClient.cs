using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bot.Core.Net;
using Bot.Core.Telemetry;
using Bot.Teams.Adapter;
using Bot.Teams.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Teams.Connector;

/// <summary>
/// The Bot Connector REST calls the bot makes (teams.md §2.3): send, reply, update (PUT), delete, and the token for the
/// GET of a pasted image. Every write is paced per thread; 429 waits for Retry-After, 412/502/503/504 back off and retry.
/// No call (and so no token) goes to a host outside <c>Teams:ServiceUrlHosts</c>, whatever address it was given.
/// </summary>
internal sealed class ConnectorClient([FromKeyedServices(TeamsHttp.ClientKey)] HttpClient http, IBotTokenProvider tokens, ConversationPacer pacer,
    TeamsOptions options, TimeProvider time, ILogger<ConnectorClient> logger)
{
    private readonly ServiceUrlPolicy _hosts = new(options);
    private readonly Backoff _backoff = new(options.RetryBaseDelay, TimeSpan.FromMinutes(2));

    /// <summary>Posts an activity to the conversation; returns the new activity id (the stream id for a first stream update).</summary>
    public async Task<string?> SendAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken cancellationToken = default)
    {
        using var response = await WriteAsync(HttpMethod.Post, Target(serviceUrl, conversationId), conversationId, activity, cancellationToken)
            .ConfigureAwait(false);
        return await ReadIdAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Posts an activity as a reply to <paramref name="replyToId"/>.</summary>
    public async Task<string?> ReplyAsync(string serviceUrl, string conversationId, string replyToId, JsonObject activity,
        CancellationToken cancellationToken = default)
    {
        activity["replyToId"] = replyToId;
        using var response = await WriteAsync(HttpMethod.Post, Target(serviceUrl, conversationId, replyToId), conversationId, activity, cancellationToken)
            .ConfigureAwait(false);
        return await ReadIdAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces an activity the bot sent.</summary>
    public async Task UpdateAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity,
        CancellationToken cancellationToken = default)
    {
        activity["id"] = activityId;
        using var _ = await WriteAsync(HttpMethod.Put, Target(serviceUrl, conversationId, activityId), conversationId, activity, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes an activity the bot sent.</summary>
    public async Task DeleteAsync(string serviceUrl, string conversationId, string activityId, CancellationToken cancellationToken = default)
    {
        using var _ = await WriteAsync(HttpMethod.Delete, Target(serviceUrl, conversationId, activityId), conversationId, null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Adds the bot's token to a request for a Connector-hosted attachment (a pasted image); refuses a host outside the list.</summary>
    public async Task AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureAllowed(request.RequestUri ?? throw new ArgumentException("The request has no URL.", nameof(request)));
        if (await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<HttpResponseMessage> WriteAsync(HttpMethod method, Uri url, string conversationId, JsonObject? activity,
        CancellationToken cancellationToken)
    {
        EnsureAllowed(url);
        var body = activity?.ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            if (body is not null)
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false) is { } token)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            using (await pacer.WaitAsync(conversationId, cancellationToken).ConfigureAwait(false))
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
                return response;

            using (response)
            {
                var status = response.StatusCode;
                var retryable = status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway
                    or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                if (!retryable || attempt >= options.MaxRetries)
                    throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
                var delay = _backoff.Delay(attempt, RetryAfter.From(response, time.GetUtcNow()));
                Log.ConnectorRetry(logger, method.Method, (int)status, delay, attempt + 1);
                if (status == HttpStatusCode.TooManyRequests)
                    CoreTelemetry.RateLimited(TeamsChannel.ChannelName, "conversation");
                CoreTelemetry.Retried(TeamsChannel.ChannelName, ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // A reply address stored earlier (or by an older version) may name any host: the token never goes to one not allowed.
    private void EnsureAllowed(Uri url)
    {
        if (!_hosts.MayReceiveToken(url))
            throw new InvalidOperationException($"Refusing a Connector call to {url.Authority}: not a host of Teams:ServiceUrlHosts.");
    }

    private static async Task<ConnectorException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, message = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (text.Length > 0 && JsonNode.Parse(text)?["error"] is JsonObject error)
                (code, message) = (error["code"]?.GetValue<string>(), error["message"]?.GetValue<string>());
            else
                message = text.Length > 300 ? text[..300] : text;
        }
        catch (JsonException)
        {
        }

        return new ConnectorException(response.StatusCode, code, message);
    }

    private static async Task<string?> ReadIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (text.Length == 0)
            return null;
        try
        {
            return JsonNode.Parse(text)?["id"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // A stored serviceUrl is checked as on arrival: a plain base URL (no credentials, query or fragment) on an allowed host.
    private Uri Target(string serviceUrl, string conversationId, string? activityId = null) =>
        _hosts.Refusal(serviceUrl) is { } refusal
            ? throw new InvalidOperationException($"Refusing a Connector call: {refusal.Reason}.")
            : Url(serviceUrl, conversationId, activityId);

    internal static Uri Url(string serviceUrl, string conversationId, string? activityId = null)
    {
        var path = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversationId)}/activities";
        return new Uri(activityId is null ? path : $"{path}/{Uri.EscapeDataString(activityId)}");
    }
}
