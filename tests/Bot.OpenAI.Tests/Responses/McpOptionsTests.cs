using Bot.Core.Backends;
using Bot.Core.DependencyInjection;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// The <c>OpenAI:Mcp</c> keys: read from configuration as documented, checked at start with one message per key at fault
/// (never a header value), and named as ignored by the Assistants backend.
/// </summary>
public sealed class McpOptionsTests : IDisposable
{
    private const int McpIgnoredEvent = 2051;

    private readonly TempDirectory _directory = new();

    [Fact]
    public void TheKeys_AreReadAsDocumented_WithSafeDefaults()
    {
        using var services = Services(new()
        {
            ["OpenAI:Mcp:Servers:0:Label"] = "github",
            ["OpenAI:Mcp:Servers:0:Url"] = "https://mcp.example/github",
            ["OpenAI:Mcp:Servers:0:Headers:X-Api-Key"] = "plain",
            ["OpenAI:Mcp:Servers:0:AllowedTools:0"] = "search",
            ["OpenAI:Mcp:Servers:0:AllowedTools:1"] = "create_issue",
            ["OpenAI:Mcp:Servers:0:RequireApproval"] = "Never",
            ["OpenAI:Mcp:Servers:1:Label"] = "docs",
            ["OpenAI:Mcp:Servers:1:Url"] = "http://127.0.0.1:9000/mcp",
            ["OpenAI:Mcp:ApprovalTimeout"] = "00:02:00",
        });

        var mcp = services.GetRequiredService<IOptions<OpenAIOptions>>().Value.Mcp;

        Assert.Equal(TimeSpan.FromMinutes(2), mcp.ApprovalTimeout);
        Assert.Equal(["github", "docs"], mcp.Servers.Select(s => s.Label));
        Assert.Equal("plain", mcp.Servers[0].Headers["x-api-key"]);
        Assert.Equal(["search", "create_issue"], mcp.Servers[0].AllowedTools);
        Assert.Equal(McpApproval.Always, mcp.Servers[1].RequireApproval);
        Assert.Equal(TimeSpan.FromMinutes(5), new McpOptions().ApprovalTimeout);
    }

    [Fact]
    public void BadSettings_StopTheStart_NamingEachKey_AndNeverAHeaderValue()
    {
        var variable = $"BOT_TEST_MCP_UNSET_{Guid.NewGuid():N}";
        using var services = Services(new()
        {
            ["OpenAI:Mcp:Servers:0:Label"] = "git hub",
            ["OpenAI:Mcp:Servers:0:Url"] = "http://mcp.example/github",
            ["OpenAI:Mcp:Servers:0:Headers:Authorization"] = $"Bearer visible-part ${{env:{variable}}}",
            ["OpenAI:Mcp:Servers:0:RequireApproval"] = "sometimes",
            ["OpenAI:Mcp:Servers:1:Label"] = "docs",
            ["OpenAI:Mcp:Servers:2:Label"] = "docs",
            ["OpenAI:Mcp:Servers:2:Url"] = "https://user:pass@docs.example/mcp",
            ["OpenAI:Mcp:ApprovalTimeout"] = "00:00:00",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<OpenAIOptions>>().Value);

        var messages = failure.Failures.ToList();
        Assert.Contains(messages, m => m.StartsWith("OpenAI:Mcp:Servers:0:Label: 'git hub'", StringComparison.Ordinal));
        Assert.Contains("OpenAI:Mcp:Servers:0:Url: 'http://mcp.example/github' must use https (plain http is allowed only for loopback addresses).", messages);
        Assert.Contains($"OpenAI:Mcp:Servers:0:Headers:Authorization: the environment variable {variable} is not set.", messages);
        Assert.Contains(messages, m => m.StartsWith("OpenAI:Mcp:Servers:0:RequireApproval: 'sometimes'", StringComparison.Ordinal));
        Assert.Contains("OpenAI:Mcp:Servers:1:Url: missing.", messages);
        Assert.Contains("OpenAI:Mcp:Servers:2:Label: another server is already labelled 'docs'.", messages);
        Assert.Contains(messages, m => m.StartsWith("OpenAI:Mcp:Servers:2:Url: must not carry credentials", StringComparison.Ordinal));
        Assert.Contains("OpenAI:Mcp:ApprovalTimeout: must be between 1 second and 1 day.", messages);
        Assert.DoesNotContain(messages, m => m.Contains("visible-part", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Assistants", 1)]
    [InlineData("Responses", 0)]
    public void TheAssistantsBackend_LogsOnceThatItIgnoresTheServers(string api, int logged)
    {
        var log = new ListLogger<AssistantsBackend>();
        using var services = Services(new()
        {
            ["OpenAI:Api"] = api,
            ["OpenAI:Mcp:Servers:0:Label"] = "github",
            ["OpenAI:Mcp:Servers:0:Url"] = "https://mcp.example/github",
        }, b => b.AddProvider(new ListLoggerProvider<AssistantsBackend>(log, "Bot.OpenAI")));

        services.GetRequiredService<BackendCatalog>();
        services.GetRequiredService<BackendCatalog>();

        Assert.Equal(logged, log.Count(McpIgnoredEvent));
    }

    public void Dispose() => _directory.Dispose();

    private ServiceProvider Services(Dictionary<string, string?> settings, Action<ILoggingBuilder>? logging = null)
    {
        settings["OpenAI:ApiKey"] = "sk-test";
        settings["Storage:Sqlite:Path"] = _directory.File("bot.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging(logging ?? (_ => { })).AddSqliteStorage(configuration).AddOpenAIBackend(configuration)
            .AddBotCore(configuration).BuildServiceProvider();
    }
}
