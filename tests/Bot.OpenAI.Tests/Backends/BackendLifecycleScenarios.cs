using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>Bursts, stop, restart and reset for both backends: the thread is never busy, nothing is left behind.</summary>
public sealed class BackendLifecycleScenarios
{
    public static TheoryData<string> Backends => BackendTurnScenarios.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task BurstOf20Messages_InOneConversation_AllAnsweredInOrder_NeverBusy(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Server.DefaultTokenInterval = TimeSpan.FromMilliseconds(2);
        bot.Server.Responder = r => FakeResponse.Stream().Text($"Answer to [{r.UserText}]: " + string.Join(' ', Enumerable.Repeat("word", 10)));

        var accepted = new List<AcceptResult>();
        for (var i = 0; i < 20; i++)
            accepted.Add(await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", $"m{i:00}", $"id{i}")));
        var statuses = await Task.WhenAll(accepted.Select(a => a.Answered)).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.All(statuses, s => Assert.Equal(TurnStatus.Completed, s));
        Assert.Equal(0, bot.BusyRefusals);
        // Every message reached the model exactly once, in the order it was sent (coalesced turns keep the order).
        var sent = string.Join("\n", bot.Requests.Select(r => r.UserText));
        var positions = Enumerable.Range(0, 20).Select(i => sent.IndexOf($"m{i:00}", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        // The replies come in the order of the turns, each answering its own turn's messages.
        var replies = bot.Channel.Replies.Select(r => r.Text).ToList();
        Assert.Equal(bot.Requests.Count, replies.Count);
        for (var i = 0; i < replies.Count; i++)
            Assert.StartsWith($"Answer to [{bot.Requests[i].UserText}]", replies[i], StringComparison.Ordinal);
        Assert.Single(bot.RemoteConversations);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Stop_EndsTheAnswer_AndTheNextMessageIsAnswered(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        var firstText = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Channel.OnWrite = (_, write) =>
        {
            if (write.Text.Contains("Thinking", StringComparison.Ordinal))
                firstText.TrySetResult();
        };
        bot.Server.Enqueue(FakeResponse.Stream().Text("Thinking about it").Delay(TimeSpan.FromSeconds(60)).Text(" never"), FakeResponse.Stream().Text("Next answer."));

        var accepted = await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", "long one", "m1"));
        await firstText.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(bot.Core.Service.Stop(new("test", "c1")));

        Assert.Equal(TurnStatus.Cancelled, await accepted.Answered.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "next"));
        Assert.Equal("Next answer.", bot.Channel.Replies[^1].Text);
        Assert.Equal(0, bot.BusyRefusals);
        if (bot.IsAssistants)
            Assert.Equal(["cancelled", "completed"], bot.Server.RunStatuses(bot.RemoteConversations.Single()));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task RestartDuringAnAnswer_TheNextMessageIsAnswered_NeverBusy(string api)
    {
        // Plain streaming: a background response outlives the restart, and finishing it is the core's resume (issue 16).
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.Background = false);
        var firstText = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Channel.OnWrite = (_, write) =>
        {
            if (write.Text.Contains("Thinking", StringComparison.Ordinal))
                firstText.TrySetResult();
        };
        bot.Server.Enqueue(FakeResponse.Stream().Text("Thinking about it").Delay(TimeSpan.FromSeconds(60)).Text(" never"), FakeResponse.Stream().Text("After the restart."));
        _ = await bot.Core.Service.AcceptAsync(bot.Channel.Message("c1", "long one", "m1"));
        await firstText.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await bot.RestartAsync();
        if (bot.IsAssistants)
        {
            // A crash (unlike this orderly stop) cancels nothing: the service keeps a run going on the thread.
            bot.Server.LeaveActiveRun(bot.RemoteConversations.Single(), "requires_action");
        }

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "are you back?"));

        Assert.Equal("After the restart.", bot.Channel.Replies[^1].Text);
        Assert.Equal(0, bot.BusyRefusals);
        Assert.Single(bot.RemoteConversations);
        if (bot.IsAssistants)
        {
            Assert.Equal(["cancelled", "cancelled", "completed"], bot.Server.RunStatuses(bot.RemoteConversations.Single()));
            Assert.Single(bot.Server.Ledger.CreatedAssistants);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Reset_DeletesEverythingTheBotCreatedOrCaused_NothingOrphaned(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api);
        bot.Channel.AttachmentContents["d"] = "doc"u8.ToArray();
        bot.Channel.AttachmentContents["c"] = "1,2"u8.ToArray();
        bot.Channel.AttachmentContents["i"] = [0x89, 0x50, 0x4E, 0x47];
        bot.Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("chart.png", [0x89, 0x50, 0x4E, 0x47]).Text("ok"));
        await bot.AskAsync("c1", "files", attachments: [new("a.pdf", null, 3, "d"), new("b.csv", null, 3, "c"), new("c.png", "image/png", 4, "i")]);
        Assert.NotEmpty(bot.Server.Ledger.Orphans);

        var result = await bot.Core.Service.ResetAsync(new("test", "c1"));

        Assert.Empty(bot.Server.Ledger.Orphans);
        Assert.Equal(0, result.FailedDeletes);
        // Remote conversation, three uploads, the vector store, and (on Assistants) the generated chart file.
        Assert.Equal(bot.IsAssistants ? 6 : 5, result.DeletedRemoteObjects);
        Assert.Empty(await bot.Core.Store.GetRemoteObjectsAsync(1));

        bot.Server.Enqueue(FakeResponse.Stream().Text("Fresh start."));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "hello again"));
        Assert.Equal(2, bot.RemoteConversations.Count);
    }
}
