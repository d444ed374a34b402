using System.Text.Json;
using Bot.Core.Backends;
using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Bot.OpenAI.Assistants;
using Bot.OpenAI.DependencyInjection;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Testing.Tools;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>What only the Assistants backend does: its assistant, switching backends, the recorded Assistants streams, configuration.</summary>
public sealed class AssistantsBackendTests
{
    [Fact]
    public async Task Assistant_IsCreatedOnceFromTheConfiguration_AndReusedAfterARestart()
    {
        var tool = new DelegateFunctionTool("lookup", (_, _) => Task.FromResult("{}"));
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants, [tool]);
        await bot.AskAsync("c1", "one");
        await bot.AskAsync("c2", "two");
        await bot.RestartAsync();
        await bot.AskAsync("c1", "three");

        var assistantId = Assert.Single(bot.Server.Ledger.CreatedAssistants);
        var created = JsonDocument.Parse(bot.Server.RunRequests[0].Json).RootElement;
        Assert.Equal(assistantId, created.GetProperty("assistant_id").GetString());
        Assert.All(bot.Server.RunRequests, r => Assert.Equal(("gpt-test", "Be brief."), (r.Model, r.Instructions)));
        Assert.All(bot.Server.RunRequests, r => Assert.True(r.HasCodeInterpreter && r.HasFileSearch && r.FunctionNames.SequenceEqual(["lookup"])));
        Assert.Equal(assistantId, (await bot.Core.Store.FindProvisionedAssistantAsync(ApiKinds.Assistants))?.AssistantId);
    }

    [Fact]
    public async Task ChangedConfiguration_UpdatesTheRememberedAssistant_InsteadOfMakingAnother()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        await bot.AskAsync("c1", "one");

        await bot.RestartAsync(configure: o => (o.Instructions, o.Model) = ("Answer in French.", "gpt-other"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));

        Assert.Single(bot.Server.Ledger.CreatedAssistants);
        Assert.Equal(("gpt-test", "Be brief."), (bot.Server.RunRequests[0].Model, bot.Server.RunRequests[0].Instructions));
        Assert.Equal(("gpt-other", "Answer in French."), (bot.Server.RunRequests[1].Model, bot.Server.RunRequests[1].Instructions));
    }

    [Fact]
    public async Task AssistantDeletedRemotely_IsCreatedAgain_AndTheTurnAnswered()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        await bot.AskAsync("c1", "one");
        using var http = new HttpClient { BaseAddress = bot.Server.BaseUri };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + FakeOpenAIServer.ApiKey);
        http.DefaultRequestHeaders.Add("OpenAI-Beta", "assistants=v2");
        (await http.DeleteAsync("assistants/" + bot.Server.Ledger.CreatedAssistants.Single())).EnsureSuccessStatusCode();

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));
        await bot.RestartAsync();
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "three"));

        Assert.Equal(2, bot.Server.Ledger.CreatedAssistants.Count);
        Assert.Equal(bot.Server.Ledger.CreatedAssistants[1], (await bot.Core.Store.FindProvisionedAssistantAsync(ApiKinds.Assistants))?.AssistantId);
    }

    [Fact]
    public async Task ThreadDeletedRemotely_IsReplacedByANewOne_AndTheTurnAnswered()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        await bot.AskAsync("c1", "one");
        var first = bot.Server.Ledger.CreatedThreads.Single();
        await bot.RestartAsync(); // a restart: the bot looks at the thread's runs first, which now answers 404 too
        using var http = new HttpClient { BaseAddress = bot.Server.BaseUri };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + FakeOpenAIServer.ApiKey);
        http.DefaultRequestHeaders.Add("OpenAI-Beta", "assistants=v2");
        (await http.DeleteAsync("threads/" + first)).EnsureSuccessStatusCode();

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "two"));

        var second = bot.Server.Ledger.CreatedThreads[1];
        Assert.Equal(second, (await bot.Core.Store.FindConversationAsync(new("test", "c1")))?.RemoteConversationId);
        Assert.Equal("You said: two", bot.Channel.Replies[^1].Text);
    }

    [Fact]
    public async Task ConfiguredAssistantId_IsUsed_AndNoAssistantIsCreated_AMissingOneIsRefused()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses);
        using var http = new HttpClient { BaseAddress = bot.Server.BaseUri };
        http.DefaultRequestHeaders.Add("Authorization", "Bearer " + FakeOpenAIServer.ApiKey);
        http.DefaultRequestHeaders.Add("OpenAI-Beta", "assistants=v2");
        var response = await http.PostAsync("assistants", new StringContent("""{"model":"gpt-own","instructions":"Mine."}""", System.Text.Encoding.UTF8, "application/json"));
        var ownId = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        await using var configured = await BackendHarness.StartAsync(ApiKinds.Assistants, configure: o => o.AssistantId = "asst_missing");
        Assert.Equal(TurnStatus.Failed, await configured.AskAsync("c1", "hi"));

        var options = new OpenAIOptions { ApiKey = FakeOpenAIServer.ApiKey, Endpoint = bot.Server.BaseUri.ToString(), AssistantId = ownId };
        Assert.Equal(ownId, await new AssistantProvisioner(new OpenAIClients(options), options, Registry(), () => bot.Core.Store,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).GetAsync());
        Assert.Single(bot.Server.Ledger.CreatedAssistants);
        Assert.Equal("⚠️ The assistant service doesn't offer the model, assistant or API the bot is set up to use. An operator needs to check the configuration.",
            configured.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task SwitchingBackends_StartsANewRemoteThread_AndSaysSoInOneLine()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Responses);
        bot.Server.Enqueue(FakeResponse.Stream().Text("From Responses."), FakeResponse.Stream().Text("From Assistants."), FakeResponse.Stream().Text("Again."));
        await bot.AskAsync("c1", "hi");

        await bot.RestartAsync(ApiKinds.Assistants);
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "still there?"));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "and now?"));

        Assert.Equal(
            "ℹ️ This conversation was on the Responses backend; the bot now uses Assistants, so it starts a new conversation.\n\nFrom Assistants.",
            bot.Channel.Replies[1].Text);
        Assert.Equal("Again.", bot.Channel.Replies[2].Text);
        Assert.Single(bot.Server.Ledger.CreatedConversations);
        var thread = Assert.Single(bot.Server.Ledger.CreatedThreads);
        var record = await bot.Core.Store.FindConversationAsync(new("test", "c1"));
        Assert.Equal((ApiKinds.Assistants, thread), (record?.BackendKind, record?.RemoteConversationId));
    }

    [Fact]
    public async Task RecordedTextRun_IsShownExactlyAsStreamed()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("assistants_run_stream_text.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "Say hello"));

        var expected = CompletedText("assistants_run_stream_text.sse");
        Assert.False(string.IsNullOrWhiteSpace(expected));
        Assert.Equal(expected, bot.Channel.Replies.Single().Text);
    }

    [Fact]
    public async Task RecordedFunctionRun_SubmitsTheOutput_AndShowsTheContinuation()
    {
        var weather = new DelegateFunctionTool("get_current_weather", (_, _) => Task.FromResult("""{"temperature_c":18,"sky":"cloudy"}"""));
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants, [weather]);
        bot.Server.Enqueue(
            FakeResponse.Replay(Fixtures.OpenAI("assistants_run_stream_function_requires_action.sse")),
            FakeResponse.Replay(Fixtures.OpenAI("assistants_run_stream_submit_tool_outputs.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "What's the weather?"));

        Assert.Equal(1, weather.Calls);
        Assert.Contains("cloudy", bot.Server.RunRequests[1].FunctionCallOutputs["call_xyFYaEeyocjyE6jN64QTcxip"], StringComparison.Ordinal);
        Assert.Equal(CompletedText("assistants_run_stream_submit_tool_outputs.sse"), bot.Channel.Replies.Single().Text);
        Assert.Equal(0, bot.BusyRefusals);
    }

    [Fact]
    public async Task RecordedFileSearchRun_CitesTheFileAsAFootnote_WithoutTheMarker()
    {
        await using var bot = await BackendHarness.StartAsync(ApiKinds.Assistants);
        var file = JsonDocument.Parse(File.ReadAllText(Fixtures.OpenAI("assistants_run_stream_file_search.file.json"))).RootElement;
        bot.Server.AddFile(file.GetProperty("id").GetString()!, file.GetProperty("filename").GetString()!, "Filip likes cake."u8.ToArray());
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(5); // paced like a live stream
        bot.Server.Enqueue(FakeResponse.Replay(Fixtures.OpenAI("assistants_run_stream_file_search.sse")));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "What is Filip's favorite food?"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal("Filip's favorite food is cake[1].\n\n[1] favorite_foods.txt", reply.Text);
        Assert.DoesNotContain(reply.Writes, w => w.Text.Contains('【', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configuration_AcceptsTheAssistantsApi_AndRegistersItAsTheCurrentBackend()
    {
        using var directory = new TempDirectory();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:ApiKey"] = "sk-test",
            ["OpenAI:Api"] = "Assistants",
            ["Storage:Sqlite:Path"] = directory.File("bot.db"),
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSqliteStorage(configuration).AddOpenAIBackend(configuration).AddBotCore(configuration)
            .BuildServiceProvider();

        var catalog = services.GetRequiredService<BackendCatalog>();
        Assert.IsType<AssistantsBackend>(catalog.Current);
        Assert.IsType<Bot.OpenAI.Responses.ResponsesBackend>(catalog.Find(ApiKinds.Responses));
        Assert.Empty(Validate(o => o.Api = "assistants"));
        Assert.Contains(Validate(o => (o.Api, o.AssistantId) = ("Assistants", "my-assistant")), e => e.StartsWith("OpenAI:AssistantId:", StringComparison.Ordinal));
        Assert.Empty(Validate(o => (o.Api, o.AssistantId) = ("Assistants", "asst_abc123")));
        Assert.Contains(Validate(o => o.Api = "Chat"), e => e.StartsWith("OpenAI:Api:", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Validate(Action<OpenAIOptions> change)
    {
        var options = new OpenAIOptions { ApiKey = "sk-test" };
        change(options);
        return new OpenAIOptionsValidator().Validate(null, options).Failures ?? [];
    }

    private static Core.Tools.FunctionToolRegistry Registry() =>
        new([], Options.Create(new Core.Conversations.ConversationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Tools.FunctionToolRegistry>.Instance);

    // The final text of a recorded run, read from its thread.message.completed events (independently of the bot).
    private static string CompletedText(string fixture)
    {
        var lines = File.ReadAllLines(Fixtures.OpenAI(fixture));
        var texts = lines.Select((line, i) => (line, i))
            .Where(x => x.line == "event: thread.message.completed")
            .Select(x => JsonDocument.Parse(lines[x.i + 1]["data: ".Length..]).RootElement)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Select(c => c.GetProperty("text").GetProperty("value").GetString());
        return string.Join("\n\n", texts);
    }
}
