using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task InvalidSettings_StopTheBotWithOneMessageNamingEveryKey()
    {
        using var folder = new TempDirectory();
        var error = new StringWriter();

        var exitCode = await BotApplication.RunChatAsync(
        [
            "--OpenAI:ApiKey", " ",
            "--OPENAI_API_KEY", "",
            "--OpenAI:Api", "Chat",
            "--OpenAI:Endpoint", "not a url",
            "--OpenAI:MaxRetries", "99",
            "--Conversations:MaxConcurrentTurns", "0",
            "--Cluster:LeaseTimeout", "00:00:00",
            "--Attachments:MaxFilesPerMessage", "0",
            "--Storage:Provider", "Oracle",
            "--Storage:Sqlite:Path", folder.File("bot.db"),
        ], new StringReader("hello\n"), new StringWriter(), error).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        var message = error.ToString();
        Assert.Equal(1, message.Split("The bot cannot start").Length - 1);
        foreach (var key in new[] { "OpenAI:ApiKey", "OpenAI:Api:", "OpenAI:Endpoint", "OpenAI:MaxRetries", "Conversations:MaxConcurrentTurns",
                     "Cluster:LeaseTimeout", "Attachments:MaxFilesPerMessage", "Storage:Provider" })
            Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("bot.db")), "nothing should run with invalid settings");
    }

    [Fact]
    public async Task Server_AnswersHealthz()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var port = LoopbackHost.FreePort();
        using var stop = new CancellationTokenSource();
        var server = BotApplication.RunServerAsync(
        [
            "--urls", $"http://127.0.0.1:{port}",
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
        ], cancellationToken: stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        HttpResponseMessage? response = null;
        for (var attempt = 0; attempt < 100 && response is null; attempt++)
        {
            try
            {
                response = await http.GetAsync("/healthz");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(HttpStatusCode.OK, response?.StatusCode);
        var report = System.Text.Json.JsonDocument.Parse(await response!.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        await stop.CancelAsync();
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
