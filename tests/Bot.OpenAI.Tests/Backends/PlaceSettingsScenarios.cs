using System.Text.Json;
using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>
/// A place's settings (<see cref="TurnRequest.Settings"/>) in both backends: the model among OpenAI:AllowedModels, the
/// place's instructions, and what the service is sent when a place changes nothing.
/// </summary>
public sealed class PlaceSettingsScenarios
{
    public static TheoryData<string> Backends => new() { ApiKinds.Responses, ApiKinds.Assistants };

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task APlacesModelAndInstructions_AreAskedFor_FromTheNextTurnOn_WithoutAReset(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.AllowedModels = ["gpt-b"]);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "one"));
        bot.Settings = new TurnSettings(Model: "gpt-b", Instructions: "Answer in French.");
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));

        Assert.Equal([("gpt-test", "Be brief."), ("gpt-b", "Answer in French.")], bot.Requests.Select(r => (r.Model, r.Instructions)));
        Assert.Single(bot.RemoteConversations);
        Assert.Equal(["gpt-test", "gpt-b"], bot.Backend.AllowedModels);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AModelNotInAllowedModels_IsNeverSent_TheConfiguredModelAnswers(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.AllowedModels = ["gpt-b"]);
        bot.Settings = new TurnSettings(Model: "gpt-unvetted");

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        var request = Assert.Single(bot.Requests);
        Assert.Equal("gpt-test", request.Model);
        Assert.DoesNotContain("gpt-unvetted", request.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssistantsRun_CarriesModelInstructionsAndTools_OnlyWhereThePlaceDiffersFromTheAssistant()
    {
        var tool = new DelegateFunctionTool("lookup", (_, _) => Task.FromResult("{}"));
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants, [tool], configure: o => o.AllowedModels = ["gpt-b"]);

        // The place sets what the assistant already has: nothing is overridden.
        bot.Settings = new TurnSettings(Model: "gpt-test", Instructions: "Be brief.", CodeInterpreter: true, FileSearch: true);
        await bot.AskAsync("c1", "same");
        // The place differs: a model, instructions, and the code interpreter off (the function tool stays).
        bot.Settings = new TurnSettings(Model: "gpt-b", Instructions: "Answer in French.", CodeInterpreter: false);
        await bot.AskAsync("c1", "different");

        var same = JsonDocument.Parse(bot.Server.RunRequests[0].Json).RootElement;
        Assert.False(same.TryGetProperty("model", out _));
        Assert.False(same.TryGetProperty("instructions", out _));
        Assert.False(same.TryGetProperty("tools", out _));

        var different = bot.Server.RunRequests[1];
        var body = JsonDocument.Parse(different.Json).RootElement;
        Assert.Equal("gpt-b", body.GetProperty("model").GetString());
        Assert.Equal("Answer in French.", body.GetProperty("instructions").GetString());
        Assert.Equal(["file_search", "function"], body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("type").GetString()));
        Assert.True(different.HasFileSearch && !different.HasCodeInterpreter && different.FunctionNames.SequenceEqual(["lookup"]));
        Assert.Equal(("gpt-b", "Answer in French."), (different.Model, different.Instructions));
    }

    [Fact]
    public async Task AssistantsBackend_OffersNoWebSearchImagesOrMcp_WhateverTheConfigurationSays()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants, configure: o =>
        {
            (o.Tools.WebSearch, o.Tools.ImageGeneration) = (true, true);
            o.Mcp.Servers = [new() { Label = "docs", Url = "https://docs.example/mcp" }];
        });
        bot.Settings = new TurnSettings(WebSearch: true, ImageGeneration: true);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        Assert.False(bot.Backend.WebSearchEnabled || bot.Backend.ImageGenerationEnabled);
        Assert.Empty(bot.Backend.McpServerLabels);
        Assert.False(JsonDocument.Parse(Assert.Single(bot.Server.RunRequests).Json).RootElement.TryGetProperty("tools", out _));
    }
}
