using System.Net;
using System.Text.Json;
using Bot.Core.Storage;
using Bot.Host.Health;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Bot.Testing.Teams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests.Telemetry;

/// <summary><c>/healthz/live</c> and <c>/healthz/ready</c>: JSON with every check, and honest about channels and the store.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task DiscordClosedWith4014_ReadyIsUnhealthyNamingDiscord_WhileTheWebChatStillAnswers()
    {
        using var folder = new TempDirectory();
        await using var discord = await FakeDiscordServer.StartAsync();
        discord.Gateway.MessageContentIntentEnabled = false; // the gateway closes with 4014
        await using var openAI = await FakeOpenAIServer.StartAsync();
        openAI.Enqueue(FakeResponse.Stream().Text("Still here."));

        await using var server = await ServerUnderTest.StartAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Discord:Token", discord.Token,
            "--Discord:RestBaseUrl", discord.RestBaseUri.ToString(),
            "--Discord:GatewayUrl", discord.GatewayUri().ToString(),
            "--Web:Enabled", "true",
            "--Web:DataPath", folder.File("web"),
        ]);

        (HttpStatusCode Status, string Body)? ready = null;
        await server.WaitUntilAsync(async () => (ready = await server.TryGetAsync("/healthz/ready"))?.Body.Contains("4014", StringComparison.Ordinal) == true,
            "ready to report the 4014 close");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready!.Value.Status);
        var report = JsonDocument.Parse(ready.Value.Body).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var checks = report.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("discord").GetProperty("status").GetString());
        Assert.Contains("Discord", checks.GetProperty("discord").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("store").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("openai").GetProperty("status").GetString());
        Assert.DoesNotContain(discord.Token, ready.Value.Body, StringComparison.Ordinal);

        // /healthz keeps its meaning (ready); the process itself is live, and the other channel answers.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.TryGetAsync("/healthz"))?.Status);
        Assert.Equal(HttpStatusCode.OK, (await server.TryGetAsync("/healthz/live"))?.Status);
        var thread = await server.SendWebMessageAsync("hello");
        await server.WaitForAnswerAsync(thread, "Still here.");
    }

    [Fact]
    public async Task OpenAIUnreachable_ReadyIsHealthyBeforeTheFirstCall_AndUnhealthyNamingOpenAIAfterACallFailed()
    {
        using var folder = new TempDirectory();
        var closed = LoopbackHost.FreePort(); // nothing listens here
        await using var server = await ServerUnderTest.StartAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", $"http://127.0.0.1:{closed}/v1",
            "--OpenAI:MaxRetries", "0",
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Web:Enabled", "true",
            "--Web:DataPath", folder.File("web"),
        ]);

        var before = await server.TryGetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, before?.Status);
        Assert.Equal("Healthy", JsonDocument.Parse(before!.Value.Body).RootElement.GetProperty("checks").GetProperty("openai").GetProperty("status").GetString());

        await server.SendWebMessageAsync("hello");
        (HttpStatusCode Status, string Body)? after = null;
        await server.WaitUntilAsync(async () => (after = await server.TryGetAsync("/healthz/ready"))?.Status == HttpStatusCode.ServiceUnavailable,
            "ready to report OpenAI unreachable");
        var openai = JsonDocument.Parse(after!.Value.Body).RootElement.GetProperty("checks").GetProperty("openai");
        Assert.Equal("Unhealthy", openai.GetProperty("status").GetString());
        Assert.Contains("OpenAI", openai.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeOpenAIServer.ApiKey, after.Value.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Teams_IsReadyOnceItsSigningKeysAreLoaded_AndNotWhileTheyCannotBe(bool metadataReachable)
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        await using var teams = await FakeTeamsServer.StartAsync();
        var metadata = metadataReachable ? teams.OpenIdMetadataUrl : $"http://127.0.0.1:{LoopbackHost.FreePort()}/openid";
        await using var server = await ServerUnderTest.StartAsync(
        [
            "--OpenAI:ApiKey", FakeOpenAIServer.ApiKey,
            "--OpenAI:Endpoint", openAI.BaseUri.ToString(),
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Teams:AppId", FakeTeamsServer.AppId,
            "--Teams:AppPassword", FakeTeamsServer.AppPassword,
            "--Teams:OpenIdMetadataUrl", metadata,
            "--Teams:LoginEndpoint", teams.LoginEndpoint,
        ]);

        var expected = metadataReachable ? "signing keys loaded" : "could not be loaded";
        (HttpStatusCode Status, string Body)? ready = null;
        await server.WaitUntilAsync(async () => (ready = await server.TryGetAsync("/healthz/ready"))?.Body.Contains(expected, StringComparison.Ordinal) == true,
            $"ready to say '{expected}'");
        var check = JsonDocument.Parse(ready!.Value.Body).RootElement.GetProperty("checks").GetProperty("teams");
        Assert.Equal(metadataReachable ? "Healthy" : "Unhealthy", check.GetProperty("status").GetString());
        Assert.Equal(metadataReachable ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, ready.Value.Status);
        Assert.DoesNotContain(FakeTeamsServer.AppPassword, ready.Value.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreUnreachable_ReadyIsUnhealthyAtTheNextProbe_AndHealthyAgainWithoutARestart()
    {
        var store = new SwitchableStore();
        var port = LoopbackHost.FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSingleton<IStoreLifecycle>(store);
        builder.Services.AddBotHealth();
        await using var app = builder.Build();
        app.MapBotHealth();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var (status, body) = await GetAsync(http, "/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", StoreStatus(body));

        store.Down = true;
        (status, body) = await GetAsync(http, "/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", StoreStatus(body));
        Assert.DoesNotContain("database file", body, StringComparison.Ordinal); // the exception's text stays out
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(http, "/healthz/live")).Status);

        store.Down = false;
        (status, body) = await GetAsync(http, "/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", StoreStatus(body));
        await app.StopAsync();
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string? StoreStatus(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty("store").GetProperty("status").GetString();

    private sealed class SwitchableStore : IStoreLifecycle
    {
        public volatile bool Down;

        public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task PingAsync(CancellationToken cancellationToken = default) =>
            Down ? Task.FromException(new IOException("unable to open database file /secret/path")) : Task.CompletedTask;
    }
}
