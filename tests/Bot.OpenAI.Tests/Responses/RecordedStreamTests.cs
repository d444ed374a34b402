using System.Text.Json;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>The real streams recorded from api.openai.com (tests/fixtures/openai), replayed through the whole bot.</summary>
public sealed class RecordedStreamTests
{
    [Fact]
    public async Task RecordedText_IsShownExactlyAsStreamed()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("responses_stream_text.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Say hello"));

        var expected = Deltas("responses_stream_text.sse");
        Assert.False(string.IsNullOrWhiteSpace(expected));
        Assert.Equal(expected, bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task RecordedFileSearch_CitesTheFileAsAFootnote()
    {
        await using var bot = await ResponsesHarness.StartAsync();
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("responses_stream_file_search.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "What is Travis's favorite food?"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal("Travis's favorite food is pizza[1].\n\n[1] test_favorite_foods.txt", reply.Text);
        Assert.Contains(reply.Writes, w => w.Text.Contains("Searching files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecordedCodeInterpreterPlot_IsDownloadedFromTheContainerAndAttached()
    {
        await using var bot = await ResponsesHarness.StartAsync(channel: new RecordingChannel(limits: new(2000, TimeSpan.Zero, 8_000_000)));
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(1); // paced like a live stream
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("responses_stream_code_interpreter_container_file_citation.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Plot the CSV"));

        var reply = bot.Channel.Replies.Single();
        var file = Assert.Single(reply.Files);
        Assert.Equal("cfile_68d5f31200208191afd3130709930804.png", file.FileName);
        Assert.Equal("image/png", file.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], file.Content[..4].ToArray());
        Assert.Contains(reply.Writes, w => w.Text.Contains("Running code", StringComparison.Ordinal));
        Assert.StartsWith("The CSV file contains the following data:", reply.Text, StringComparison.Ordinal);
        Assert.EndsWith("let me know!", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordedCodeInterpreterRun_ShowsProgressThenTheAnswer()
    {
        await using var bot = await ResponsesHarness.StartAsync(channel: new RecordingChannel(limits: new(4000, TimeSpan.Zero, 8_000_000)));
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(1); // paced like a live stream
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("responses_stream_code_interpreter.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "compute"));

        var reply = bot.Channel.Replies.Single();
        Assert.Contains(reply.Writes, w => w.Text.Contains("Running code", StringComparison.Ordinal));
        Assert.Equal(Deltas("responses_stream_code_interpreter.sse"), reply.Text);
    }

    [Fact]
    public async Task RecordedFunctionCall_InvokesTheToolWithTheRecordedArguments()
    {
        var tool = new DelegateFunctionTool("get_weather_at_location", (args, _) => Task.FromResult($$"""{"forecast":"sunny","args":{{args}}}"""));
        await using var bot = await ResponsesHarness.StartAsync([tool]);
        bot.Server.RequireFunctionCallOutputs = false;
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("responses_stream_function_call.sse")), FakeResponse.Stream().Text("It's sunny in San Francisco."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Weather in SF?"));

        Assert.Equal(1, tool.Calls);
        var output = bot.Server.ResponseRequests[1].FunctionCallOutputs["call_0UFGPwrziw5rbinYp7rthrTb"];
        Assert.Contains("San Francisco, CA", output, StringComparison.Ordinal);
        Assert.Equal("It's sunny in San Francisco.", bot.Channel.Replies.Single().Text);
    }

    // The text a fixture streams, read from its output_text.done events (independently of the bot).
    private static string Deltas(string fixture)
    {
        var texts = File.ReadLines(Fixtures.OpenAI(fixture))
            .Where(l => l.StartsWith("data: ", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l["data: ".Length..]).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "response.output_text.done")
            .Select(e => e.GetProperty("text").GetString());
        return string.Join("\n\n", texts);
    }
}
