namespace Bot.Host.Health;

/// <summary>
/// <c>Bot.Host healthcheck [URL]</c>: GETs <c>/healthz/ready</c> of a running bot and exits 0 when it is ready, 1 otherwise.
/// The container's HEALTHCHECK uses it (the runtime image has no curl). Without a URL it asks the address the bot
/// listens on (<c>ASPNETCORE_URLS</c>, else <c>ASPNETCORE_HTTP_PORTS</c>, else port 8080) on loopback.
/// </summary>
internal static class HealthcheckCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null)
    {
        output ??= Console.Out;
        var target = new Uri(new Uri(args.FirstOrDefault() ?? DefaultBaseUrl()), "/healthz/ready");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(target).ConfigureAwait(false);
            await output.WriteLineAsync($"{target}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}")
                .ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{target}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    internal static string DefaultBaseUrl()
    {
        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Environment.GetEnvironmentVariable("URLS");
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is not null)
        {
            // A wildcard listening address is asked on loopback.
            var loopback = first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
            return loopback;
        }

        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
        return $"http://127.0.0.1:{port}";
    }
}
