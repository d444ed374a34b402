using System.Text.Json.Nodes;
using Bot.Testing.Discord;

namespace Bot.Discord.Tests;

/// <summary>The slash commands as registered: accepted by the fake's Discord-like checks, with the permissions and contexts intended.</summary>
public sealed class CommandManifestTests
{
    [Fact]
    public void TheManifest_PassesDiscordsRegistrationChecks()
    {
        Assert.Null(FakeDiscordServer.CommandsError(DiscordBotService.CommandManifest()));
    }

    [Fact]
    public async Task TheBot_RegistersSettingsAndModelForManagersInServers_AndUsageForEveryone()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var commands = bot.Discord.Commands!.ToDictionary(c => c!["name"]!.GetValue<string>(), c => c!.AsObject());

        Assert.Equal(["reset", "stop", "settings", "model", "usage"], commands.Keys);
        foreach (var admin in new[] { "settings", "model" })
        {
            Assert.Equal("32", commands[admin]["default_member_permissions"]!.GetValue<string>());
            Assert.Equal("[0]", commands[admin]["contexts"]!.ToJsonString());
        }

        Assert.Null(commands["usage"]["default_member_permissions"]);
        Assert.Equal("[0,1]", commands["usage"]["contexts"]!.ToJsonString());
        var subcommands = commands["settings"]["options"]!.AsArray().Select(o => o!["name"]!.GetValue<string>());
        Assert.Equal(["show", "set", "clear", "history"], subcommands);
        Assert.True(commands["model"]["options"]![0]!["autocomplete"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""[{"name":"Settings","description":"x"}]""", "lowercase")]
    [InlineData("""[{"name":"a-name-that-is-far-too-long-for-discord","description":"x"}]""", "lowercase")]
    [InlineData("""[{"name":"x","description":""}]""", "Descriptions")]
    [InlineData("""[{"name":"x","description":"x","default_member_permissions":32}]""", "default_member_permissions")]
    [InlineData("""[{"name":"x","description":"x","options":[{"type":3,"name":"a","description":"a"},{"type":3,"name":"b","description":"b","required":true}]}]""", "before non-required")]
    [InlineData("""[{"name":"x","description":"x","options":[{"type":3,"name":"a","description":"a","autocomplete":true,"choices":[{"name":"c","value":"c"}]}]}]""", "cannot be set with choices")]
    [InlineData("""[{"name":"x","description":"x","options":[{"type":5,"name":"a","description":"a","autocomplete":true}]}]""", "only for string")]
    [InlineData("""[{"name":"x","description":"x","options":[{"type":3,"name":"a","description":"a","max_length":6001}]}]""", "6000")]
    [InlineData("""[{"name":"x","description":"x","options":[{"type":1,"name":"a","description":"a","required":true}]}]""", "cannot be required")]
    public void TheFake_RefusesWhatDiscordRefuses(string commands, string error)
    {
        Assert.Contains(error, FakeDiscordServer.CommandsError(JsonNode.Parse(commands)), StringComparison.Ordinal);
    }

    [Fact]
    public void TheFake_RefusesMoreThan25Options()
    {
        var options = new JsonArray([.. Enumerable.Range(0, 26).Select(i => (JsonNode)new JsonObject { ["type"] = 3, ["name"] = $"o{i}", ["description"] = "d" })]);
        var commands = new JsonArray(new JsonObject { ["name"] = "x", ["description"] = "x", ["options"] = options });

        Assert.Contains("25 or fewer", FakeDiscordServer.CommandsError(commands), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARegistrationTheFakeRefuses_Is400_WithDiscordsErrorBody()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{discord.RestBaseUri}/applications/{discord.ApplicationId}/commands")
        {
            Content = new StringContent("""[{"name":"BAD","description":"x"}]""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bot", FakeDiscordServer.DefaultToken);

        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal(50035, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!.GetValue<int>());
        Assert.Null(discord.Commands);
    }
}
