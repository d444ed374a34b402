using System.Text.Json;
using Bot.Core.Conversations;
using Bot.Core.Tools;
using Bot.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Tools;

public sealed class FunctionToolRegistryTests
{
    [Fact]
    public async Task Invoke_ReturnsTheToolsOutput()
    {
        var registry = Registry(new DelegateFunctionTool("add", (args, _) => Task.FromResult(JsonDocument.Parse(args).RootElement.GetProperty("a").GetInt32() + 1 + "")));
        Assert.Equal("42", await registry.InvokeAsync("add", """{"a":41}"""));
    }

    [Fact]
    public async Task ToolThatThrows_ItsErrorBecomesTheOutput()
    {
        var registry = Registry(new DelegateFunctionTool("boom", (_, _) => throw new InvalidOperationException("database offline")));
        var output = await registry.InvokeAsync("boom", "{}");
        Assert.Equal("The function 'boom' failed: database offline", JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ToolThatHangs_TimesOutWithAnErrorOutput()
    {
        var registry = Registry(new DelegateFunctionTool("slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return ""; }), TimeSpan.FromMilliseconds(50));
        var output = await registry.InvokeAsync("slow", "{}");
        Assert.Contains("did not finish within", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolThatIgnoresCancellation_StillTimesOut()
    {
        var registry = Registry(new DelegateFunctionTool("stuck", async (_, _) => { await Task.Delay(5000); return "late"; }), TimeSpan.FromMilliseconds(50));
        Assert.Contains("did not finish within", await registry.InvokeAsync("stuck", "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTool_IsAnErrorOutput()
    {
        Assert.Contains("no function named 'nope'", await Registry().InvokeAsync("nope", "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingTheTurn_CancelsTheTool()
    {
        var registry = Registry(new DelegateFunctionTool("slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return ""; }));
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registry.InvokeAsync("slow", "{}", cts.Token));
    }

    [Fact]
    public void TwoToolsWithOneName_FailAtStartWithAFix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Registry(new DelegateFunctionTool("x", (_, _) => Task.FromResult("")), new DelegateFunctionTool("x", (_, _) => Task.FromResult(""))));
        Assert.Contains("unique Name", ex.Message, StringComparison.Ordinal);
    }

    private static FunctionToolRegistry Registry(params IFunctionTool[] tools) => Registry(tools, TimeSpan.FromSeconds(5));

    private static FunctionToolRegistry Registry(IFunctionTool tool, TimeSpan timeout) => Registry([tool], timeout);

    private static FunctionToolRegistry Registry(IFunctionTool[] tools, TimeSpan timeout) =>
        new(tools, Options.Create(new ConversationOptions { ToolTimeout = timeout }), NullLogger<FunctionToolRegistry>.Instance);
}
