using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Testing.Postgres;

namespace Bot.Host.Tests;

/// <summary>The server's <c>/healthz</c> asks whichever store is selected: here PostgreSQL, up and then gone.</summary>
public sealed class PostgresHealthTests
{
    [Fact]
    public async Task Healthz_is_healthy_while_PostgreSQL_answers_and_unhealthy_once_its_database_is_gone()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var cluster = await ThrowawayPostgres.GetAsync();
        var database = await cluster.CreateDatabaseAsync();
        var port = LoopbackHost.FreePort();
        using var stop = new CancellationTokenSource();
        var server = BotApplication.RunServerAsync(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Provider", "Postgres",
            "--Storage:Postgres:ConnectionString", cluster.ConnectionString(database),
        ], cancellationToken: stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var healthy = await GetHealthAsync(http);
        await cluster.DropDatabaseAsync(database);
        var gone = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, healthy.Item1);
        Assert.StartsWith("{\"status\":\"Healthy\",\"checks\":{\"store\":{\"status\":\"Healthy\"", healthy.Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
        Assert.Contains("{\"store\":{\"status\":\"Unhealthy\"", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("bot.db")));
        await stop.CancelAsync();
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task<(HttpStatusCode, string)> GetHealthAsync(HttpClient http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var response = await http.GetAsync("/healthz");
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }
}
