using Bot.Core.Backends;
using Bot.Core.Storage;
using Bot.OpenAI.Tests.Backends;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>A place's tool switches in the Responses backend: each request's tools as the place has them, per turn.</summary>
public sealed class PlaceToolsTurnTests
{
    [Fact]
    public async Task WebSearchOnAndCodeInterpreterOffAtAPlace_ShapeThatTurnsTools_AndTheNextTurnWithoutSettingsIsAsConfigured()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses);

        bot.Settings = new TurnSettings(CodeInterpreter: false, WebSearch: true, ImageGeneration: true);
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "one"));
        bot.Settings = null;
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));

        Assert.Equal(["web_search", "image_generation"], bot.Server.ResponseRequests[0].ToolTypes);
        Assert.Equal(["code_interpreter"], bot.Server.ResponseRequests[1].ToolTypes);
        Assert.False(bot.Backend.WebSearchEnabled || bot.Backend.ImageGenerationEnabled);
    }

    [Fact]
    public async Task WebSearchOffAtAPlace_IsNotOffered_ThoughConfigured()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses, configure: o => o.Tools.WebSearch = true);
        bot.Settings = new TurnSettings(WebSearch: false);

        await bot.AskAsync("c1", "hi");

        Assert.False(Assert.Single(bot.Server.ResponseRequests).HasWebSearch);
        Assert.True(bot.Backend.WebSearchEnabled);
    }

    [Fact]
    public async Task FileSearchOnAtAPlace_WithoutTheConversationsVectorStore_IsSimplyNotOffered()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses, configure: o => o.Tools.FileSearch = false);
        bot.Settings = new TurnSettings(FileSearch: true);

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hi"));

        var request = Assert.Single(bot.Server.ResponseRequests);
        Assert.False(request.HasFileSearch);
        Assert.DoesNotContain("file_search", request.ToolTypes);
    }

    [Fact]
    public async Task AnMcpServerSwitchedOffByLabel_IsNotOffered_TheOtherIs()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses, configure: o => o.Mcp.Servers =
        [
            new() { Label = "github", Url = "https://mcp.example/github", RequireApproval = "never" },
            new() { Label = "docs", Url = "https://docs.example/mcp", RequireApproval = "never" },
        ]);

        bot.Settings = new TurnSettings(DisabledMcpServers: new HashSet<string>(StringComparer.Ordinal) { "github" });
        await bot.AskAsync("c1", "one");
        bot.Settings = null;
        await bot.AskAsync("c1", "two");

        Assert.Equal(["github", "docs"], bot.Backend.McpServerLabels);
        Assert.Equal(["docs"], bot.Server.ResponseRequests[0].McpTools.Select(t => t.ServerLabel));
        Assert.Equal(["github", "docs"], bot.Server.ResponseRequests[1].McpTools.Select(t => t.ServerLabel));
    }
}
