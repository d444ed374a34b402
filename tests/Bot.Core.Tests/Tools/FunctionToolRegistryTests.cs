using System.Text.Json;
using Bot.Core.Conversations;
using Bot.Core.Tools;
using Bot.Testing;
using Bot.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Core.Tests.Tools;

public sealed class FunctionToolRegistryTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly ManualClock _clock = new();

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
    public async Task ToolThatHangs_TimesOutExactlyAtTheToolTimeout_WithAnErrorOutput()
    {
        var registry = Registry([new DelegateFunctionTool("slow", async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return ""; })], s_timeout, _clock);

        var output = await TimedOutAsync(registry.InvokeAsync("slow", "{}"));

        Assert.Equal("The function 'slow' did not finish within 30 seconds.", JsonDocument.Parse(output).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ToolThatIgnoresCancellation_StillTimesOutExactlyThen()
    {
        var neverAnswers = new TaskCompletionSource<string>();
        var registry = Registry([new DelegateFunctionTool("stuck", (_, _) => neverAnswers.Task)], s_timeout, _clock);

        Assert.Contains("did not finish within 30 seconds", await TimedOutAsync(registry.InvokeAsync("stuck", "{}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTool_IsAnErrorOutput()
    {
        Assert.Contains("no function named 'nope'", await Registry().InvokeAsync("nope", "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingTheTurn_CancelsTheTool()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var toolSawCancellation = false;
        var registry = Registry(new DelegateFunctionTool("slow", async (_, ct) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                toolSawCancellation = ct.IsCancellationRequested;
            }

            return "";
        }));
        using var turn = new CancellationTokenSource();

        var invoking = registry.InvokeAsync("slow", "{}", turn.Token);
        await started.Task;
        await turn.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoking);
        Assert.True(toolSawCancellation);
    }

    [Fact]
    public void TwoToolsWithOneName_FailAtStartWithAFix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Registry(new DelegateFunctionTool("x", (_, _) => Task.FromResult("")), new DelegateFunctionTool("x", (_, _) => Task.FromResult(""))));
        Assert.Contains("unique Name", ex.Message, StringComparison.Ordinal);
    }

    // The invocation is waiting for its deadline, due exactly at the tool timeout: a tick before it nothing has come back.
    private async Task<string> TimedOutAsync(Task<string> invoking)
    {
        Assert.Equal(s_timeout, _clock.UntilNextTimer);
        _clock.Advance(s_timeout - TimeSpan.FromTicks(1));
        Assert.False(invoking.IsCompleted);
        _clock.Advance(TimeSpan.FromTicks(1));
        return await invoking;
    }

    private static FunctionToolRegistry Registry(params IFunctionTool[] tools) => Registry(tools, TimeSpan.FromSeconds(5));

    private static FunctionToolRegistry Registry(IFunctionTool[] tools, TimeSpan timeout, TimeProvider? time = null) =>
        new(tools, Options.Create(new ConversationOptions { ToolTimeout = timeout }), NullLogger<FunctionToolRegistry>.Instance, time);
}
