using Bot.Testing.Tools;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Tools.Http;

public sealed class HttpToolsConfigurationTests
{
    [Fact]
    public async Task InvalidConfiguration_StopsStart_NamingEveryKeyAtFault_WithoutHeaderValues()
    {
        var secret = $"BOT_TEST_SECRET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(secret, "do-not-show-me");
        var lookup = new DelegateFunctionTool("lookup", (_, _) => Task.FromResult(""));
        await using var bot = HttpToolHarness.Build(new()
        {
            ["Tools:HttpMaxResponseBytes"] = "0",
            ["Tools:Http:0:Name"] = "get weather",
            ["Tools:Http:0:Description"] = "Weather.",
            ["Tools:Http:0:Url"] = "http://weather.example.com/now",
            ["Tools:Http:0:Method"] = "FETCH",
            ["Tools:Http:0:Parameters"] = """{"type":"array"}""",
            ["Tools:Http:0:Headers:Authorization"] = $"Bearer ${{env:{secret}_UNSET}}",
            ["Tools:Http:0:Headers:X-Ok"] = $"${{env:{secret}}}",
            ["Tools:Http:0:Timeout"] = "00:00:00",
            ["Tools:Http:1:Url"] = "ftp://files.example.com/",
            ["Tools:Http:1:Parameters"] = "{not json",
            ["Tools:Http:2:Name"] = "lookup",
            ["Tools:Http:2:Description"] = "Clashes with a tool in code.",
            ["Tools:Http:2:Url"] = "https://user:pw@api.example.com/",
            ["Tools:Http:2:Parameters:type"] = "object",
            ["Tools:Http:3:Name"] = "twin",
            ["Tools:Http:3:Description"] = "First.",
            ["Tools:Http:3:Url"] = "https://api.example.com/a",
            ["Tools:Http:3:MaxResponseBytes"] = "0",
            ["Tools:Http:4:Name"] = "twin",
            ["Tools:Http:4:Description"] = "Second.",
            ["Tools:Http:4:Url"] = "https://api.example.com/b",
            ["Tools:Http:4:Parameters"] = """{"type":"object","properties":{"n":{"type":"integer","minimum":"one"}},"required":"n"}""",
        }, lookup);

        var error = Assert.Throws<OptionsValidationException>(bot.ValidateStart);

        string[] keys =
        [
            "Tools:HttpMaxResponseBytes:",
            "Tools:Http:0:Name: 'get weather' is not a function name",
            "Tools:Http:0:Url: 'http://weather.example.com/now' must use https",
            "Tools:Http:0:Method: 'FETCH'",
            "Tools:Http:0:Parameters: must describe an object",
            $"Tools:Http:0:Headers:Authorization: the environment variable {secret}_UNSET is not set",
            "Tools:Http:0:Timeout:",
            "Tools:Http:1:Name: missing",
            "Tools:Http:1:Description: missing",
            "Tools:Http:1:Url: 'ftp://files.example.com/' is not an absolute https URL",
            "Tools:Http:1:Parameters: is not valid JSON",
            "Tools:Http:2:Name: another function tool is already named 'lookup'",
            "Tools:Http:2:Url: must not carry credentials",
            "Tools:Http:2:Parameters: give the JSON Schema as one JSON string",
            "Tools:Http:3:MaxResponseBytes:",
            "Tools:Http:4:Name: another function tool is already named 'twin'",
            "Tools:Http:4:Parameters: $.properties.n.minimum must be a number",
            "Tools:Http:4:Parameters: $.required must be a list of property names",
        ];
        Assert.All(keys, key => Assert.Contains(key, error.Message, StringComparison.Ordinal));
        Assert.Equal(keys.Length, error.Failures.Count());
        Assert.DoesNotContain("do-not-show-me", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidConfiguration_Starts_AndOffersEachToolWithItsSchema()
    {
        await using var bot = HttpToolHarness.Build(new()
        {
            ["Tools:Http:0:Name"] = "get_weather",
            ["Tools:Http:0:Description"] = "The weather in a city.",
            ["Tools:Http:0:Url"] = "https://weather.example.com/now",
            ["Tools:Http:0:Parameters"] = """{"type":"object","properties":{"city":{"type":"string"}}}""",
            ["Tools:Http:1:Name"] = "ping",
            ["Tools:Http:1:Description"] = "Is the service up?",
            ["Tools:Http:1:Url"] = "http://localhost:9/ping",
            ["Tools:Http:1:Method"] = "get",
        }, new DelegateFunctionTool("lookup", (_, _) => Task.FromResult("")));

        bot.ValidateStart();

        var tools = bot.Registry.Tools.ToDictionary(t => t.Name);
        Assert.Equal(["get_weather", "lookup", "ping"], tools.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("The weather in a city.", tools["get_weather"].Description);
        Assert.Contains("\"city\"", tools["get_weather"].ParametersJsonSchema, StringComparison.Ordinal);
        Assert.Equal("""{"type":"object","properties":{},"additionalProperties":false}""", tools["ping"].ParametersJsonSchema);
    }
}
