using System.Text.Json;
using Bot.Testing.Tools;
using Microsoft.AspNetCore.Http;

namespace Bot.Core.Tests.Tools.Http;

public sealed class HttpFunctionToolTests
{
    private const string CitySchema = """
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1}},
         "required":["city"],"additionalProperties":false}
        """;

    [Fact]
    public async Task Get_SendsTheArgumentsAsQuery_WithTheConfiguredHeaders_AndTheBodyIsTheOutput()
    {
        var variable = $"BOT_TEST_WEATHER_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, "s3cret");
        await using var service = await FakeHttpService.StartAsync(c => c.Response.WriteAsync("""{"temp_c":21}"""));
        await using var bot = HttpToolHarness.Build(Tool(service, "weather?units=metric", new()
        {
            ["Method"] = "GET",
            ["Headers:Authorization"] = $"Bearer ${{env:{variable}}}",
            ["Headers:X-Client"] = "chat-bot",
        }));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Zürich Nord","days":3}""");

        Assert.Equal("""{"temp_c":21}""", output);
        var request = Assert.Single(service.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/weather", request.Path);
        Assert.Equal("metric", request.Query["units"]);
        Assert.Equal("Zürich Nord", request.Query["city"]);
        Assert.Equal("3", request.Query["days"]);
        Assert.Equal("Bearer s3cret", request.Headers["Authorization"]);
        Assert.Equal("chat-bot", request.Headers["X-Client"]);
        Assert.Equal("", request.Body);
    }

    [Fact]
    public async Task Post_IsTheDefault_AndSendsTheArgumentsAsAJsonBody()
    {
        await using var service = await FakeHttpService.StartAsync();
        await using var bot = HttpToolHarness.Build(Tool(service, "weather", new() { ["Headers:X-Api-Key"] = "k-1" }));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo","days":2}""");

        Assert.Equal("""{"ok":true}""", output);
        var request = Assert.Single(service.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        Assert.Equal("k-1", request.Headers["X-Api-Key"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("Oslo", body.RootElement.GetProperty("city").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("days").GetInt32());
        Assert.Empty(request.Query);
    }

    [Theory]
    [InlineData("""{"city":42}""", "$.city must be a string, not an integer")]
    [InlineData("""{"days":2}""", "$.city is required but missing")]
    [InlineData("""{"city":"Oslo","country":"NO"}""", "$.country is not a known property")]
    [InlineData("""{"city":"Oslo","days":0}""", "$.days must be at least 1")]
    [InlineData("""{"city":"Oslo""", "not valid JSON")]
    public async Task InvalidArguments_AreAToolOutputNamingTheProblem_AndTheServiceIsNeverCalled(string arguments, string problem)
    {
        await using var service = await FakeHttpService.StartAsync();
        await using var bot = HttpToolHarness.Build(Tool(service, "weather"));

        var output = await bot.Registry.InvokeAsync("get_weather", arguments);

        var error = ErrorOf(output);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.Contains("no request was made", error, StringComparison.Ordinal);
        Assert.Empty(service.Requests);
    }

    [Fact]
    public async Task ServerError_IsAToolOutputWithTheStatusAndTheBody()
    {
        await using var service = await FakeHttpService.StartAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return c.Response.WriteAsync("database offline");
        });
        await using var bot = HttpToolHarness.Build(Tool(service, "weather"));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        using var json = JsonDocument.Parse(output);
        Assert.Contains("HTTP 500", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(500, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("database offline", json.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task TenMegabyteBody_IsCutAtTheLimit_AndReadingStopsThere()
    {
        // The service sends 10 MB and then never ends the body: a tool that read to the end would time out instead.
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var service = await FakeHttpService.StartAsync(async c =>
        {
            using var registration = c.RequestAborted.Register(aborted.SetResult);
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            try
            {
                for (var sent = 0; sent < 10 * 1024 * 1024; sent += chunk.Length)
                    await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });
        await using var bot = HttpToolHarness.Build(Tool(service, "weather", new() { ["Timeout"] = "00:00:30" }));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        var cut = output.IndexOf("\n\n[The response was cut", StringComparison.Ordinal);
        Assert.Equal(64 * 1024, cut);
        Assert.Equal(new string('a', 64 * 1024), output[..cut]);
        Assert.Contains("first 65536 bytes", output, StringComparison.Ordinal);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task SlowService_TimesOutAsAToolOutput()
    {
        await using var service = await FakeHttpService.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        await using var bot = HttpToolHarness.Build(Tool(service, "weather", new() { ["Timeout"] = "00:00:00.200" }));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        Assert.Contains("'get_weather' did not answer within 0.2 seconds", ErrorOf(output), StringComparison.Ordinal);
        // On a loaded machine the server may record the request a moment after the client gave up on it.
        for (var waited = 0; service.Requests.Count == 0 && waited < 10_000; waited += 20)
            await Task.Delay(20);
        Assert.Single(service.Requests);
    }

    [Fact]
    public async Task RedirectToAnotherHost_IsNotFollowed()
    {
        await using var elsewhere = await FakeHttpService.StartAsync();
        await using var service = await FakeHttpService.StartAsync(c =>
        {
            c.Response.Redirect($"http://localhost:{elsewhere.BaseUri.Port}/collect");
            return Task.CompletedTask;
        });
        await using var bot = HttpToolHarness.Build(Tool(service, "weather"));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        Assert.Contains("redirects are not followed", ErrorOf(output), StringComparison.Ordinal);
        Assert.Single(service.Requests);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task BinaryBody_IsNotPassedToTheModel()
    {
        await using var service = await FakeHttpService.StartAsync(c =>
        {
            c.Response.ContentType = "image/png";
            return c.Response.Body.WriteAsync(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2 }).AsTask();
        });
        await using var bot = HttpToolHarness.Build(Tool(service, "weather"));

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        Assert.Equal("The request succeeded (HTTP 200), but the response is image/png, not text, so it is not shown.", output);
    }

    [Fact]
    public async Task UnreachableService_IsAToolOutput()
    {
        var service = await FakeHttpService.StartAsync();
        var settings = Tool(service, "weather");
        await service.DisposeAsync();
        await using var bot = HttpToolHarness.Build(settings);

        var output = await bot.Registry.InvokeAsync("get_weather", """{"city":"Oslo"}""");

        Assert.Contains("'get_weather' could not reach its service", ErrorOf(output), StringComparison.Ordinal);
    }

    private static string ErrorOf(string output)
    {
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("error").GetString()!;
    }

    private static Dictionary<string, string?> Tool(FakeHttpService service, string path, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Tools:Http:0:Name"] = "get_weather",
            ["Tools:Http:0:Description"] = "The weather in a city.",
            ["Tools:Http:0:Url"] = new Uri(service.BaseUri, path).AbsoluteUri,
            ["Tools:Http:0:Parameters"] = CitySchema,
        };
        foreach (var (key, value) in extra ?? [])
            settings[$"Tools:Http:0:{key}"] = value;
        return settings;
    }
}
