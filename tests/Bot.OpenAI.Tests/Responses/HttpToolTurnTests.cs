using System.Text.Json;
using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Bot.Core.Tools;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.OpenAI.Tests.Responses;

public sealed class HttpToolTurnTests
{
    [Fact]
    public async Task ConfiguredHttpTool_IsOfferedToTheModel_AndItsResultGoesBackInTheSameTurn()
    {
        await using var run = await WeatherTurnAsync(c => c.Response.WriteAsync("""{"city":"Oslo","temp_c":4}"""), "It is 4 °C in Oslo.");
        var (bot, weather) = (run.Bot, run.Weather);

        var first = bot.Server.ResponseRequests[0];
        Assert.Contains("get_weather", first.FunctionNames);
        using (var schema = JsonDocument.Parse(first.FunctionParameters["get_weather"]))
            Assert.Equal("string", schema.RootElement.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        Assert.Equal("Oslo", Assert.Single(weather.Requests).Query["city"]);
        Assert.Equal("""{"city":"Oslo","temp_c":4}""", bot.Server.ResponseRequests[1].FunctionCallOutputs["call_1"]);
        Assert.Equal("It is 4 °C in Oslo.", bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task HttpToolThatFails_ItsStatusGoesBackAsOutput_AndTheTurnContinues()
    {
        await using var run = await WeatherTurnAsync(c =>
        {
            c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return c.Response.WriteAsync("maintenance");
        }, "The weather service is down for maintenance.");
        var bot = run.Bot;

        using var output = JsonDocument.Parse(bot.Server.ResponseRequests[1].FunctionCallOutputs["call_1"]);
        Assert.Equal(503, output.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("maintenance", output.RootElement.GetProperty("body").GetString());
        Assert.Equal("The weather service is down for maintenance.", bot.Channel.Replies.Single().Text);
    }

    /// <summary>
    /// One turn in which the model calls get_weather (an HTTP tool configured as the host would, calling a service
    /// that answers with <paramref name="service"/>) and then answers <paramref name="answer"/>.
    /// </summary>
    private static async Task<WeatherTurn> WeatherTurnAsync(RequestDelegate service, string answer)
    {
        var weather = await FakeHttpService.StartAsync(service);
        var tools = HttpTools(weather, "forecast");
        var bot = await ResponsesHarness.StartAsync(tools.GetServices<IFunctionTool>());
        bot.Server.Enqueue(
            FakeResponse.Stream().FunctionCall("get_weather", """{"city":"Oslo"}""", "call_1"),
            FakeResponse.Stream().Text(answer));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "weather in Oslo?"));
        return new WeatherTurn(bot, weather, tools);
    }

    private sealed record WeatherTurn(ResponsesHarness Bot, FakeHttpService Weather, ServiceProvider Tools) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Bot.DisposeAsync();
            await Tools.DisposeAsync();
            await Weather.DisposeAsync();
        }
    }

    // The tools as the host registers them from configuration.
    private static ServiceProvider HttpTools(FakeHttpService service, string path)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tools:Http:0:Name"] = "get_weather",
            ["Tools:Http:0:Description"] = "The weather in a city.",
            ["Tools:Http:0:Url"] = new Uri(service.BaseUri, path).AbsoluteUri,
            ["Tools:Http:0:Method"] = "GET",
            ["Tools:Http:0:Parameters"] = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddHttpTools(configuration);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return provider;
    }
}
