using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;
using static Bot.Core.Tests.Conversations.TestScripts;

namespace Bot.Core.Tests.Conversations;

public sealed class ConversationServiceTests
{
    [Fact]
    public async Task Message_IsAnsweredWithTheStreamedText_AndTheMappingIsStored()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);

        var status = await bot.AskAsync(bot.Channel.Message("c1", "hello", "m1"));

        Assert.Equal(TurnStatus.Completed, status);
        Assert.Equal("Echo: hello", bot.Channel.Replies.Single().Text);
        var mapping = await bot.Store.FindConversationAsync(new ConversationKey("test", "c1"));
        Assert.Equal("conv_1", mapping?.RemoteConversationId);
    }

    [Fact]
    public async Task ASecondMessageDuringATurn_IsAnsweredOnlyAfterTheFirstAnswerIsComplete()
    {
        var gate = new TaskCompletionSource();
        var firstWasFinalWhenTheSecondStarted = false;
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);
        backend.Script = (r, ct) =>
        {
            if (r.Text == "first")
                return WaitThenEcho(r, gate.Task, ct);
            firstWasFinalWhenTheSecondStarted = bot.Channel.RepliesTo("c1/m1").Single().Final is not null;
            return ScriptedBackend.Stream("Echo: " + r.Text, cancellationToken: ct);
        };

        var first = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "first", "m1"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var second = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "second", "m2"));
        gate.SetResult();
        await Task.WhenAll(first.Answered, second.Answered).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["first", "second"], backend.Requests.Select(r => r.Text));
        Assert.True(firstWasFinalWhenTheSecondStarted);
        Assert.Equal(1, backend.MaxConcurrentTurnsPerConversation);
    }

    [Fact]
    public async Task MessagesArrivingDuringATurn_AreCoalescedInOrderWithAuthorNames()
    {
        var gate = new TaskCompletionSource();
        var backend = new ScriptedBackend { Script = (r, ct) => WaitThenEcho(r, gate.Task, ct) };
        await using var bot = await CoreHarness.StartAsync(backend);

        var first = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "first", "m0"));
        await backend.Changes.UntilAsync(() => backend.Requests.Count == 1);
        var later = new List<Task<TurnStatus>>();
        foreach (var (author, i) in new[] { ("Ada", 1), ("Bob", 2), ("Ada", 3) })
            later.Add((await bot.Service.AcceptAsync(bot.Channel.Message("c1", $"line {i}", $"m{i}", author))).Answered);
        gate.SetResult();
        await Task.WhenAll(later.Append(first.Answered)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, backend.Requests.Count);
        Assert.Equal("Ada: line 1\n\nBob: line 2\n\nAda: line 3", backend.Requests[1].Text);
    }

    [Fact]
    public async Task ConversationsRunInParallel_UpToTheConfiguredLimit_TheRestStartAsSlotsFree()
    {
        // Every turn waits until the test lets one go, so the number running can be read exactly at each step.
        using var letOneGo = new SemaphoreSlim(0);
        var backend = new ScriptedBackend { Script = (r, ct) => WaitThenEcho(r, letOneGo.WaitAsync(ct), ct) };
        await using var bot = await CoreHarness.StartAsync(backend, options: new ConversationOptions { MaxConcurrentTurns = 3 });

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => bot.Service.AcceptAsync(bot.Channel.Message($"c{i}", "hi", $"m{i}"))));
        for (var started = 3; started <= 8; started++)
        {
            await backend.Changes.UntilAsync(() => backend.Requests.Count >= started);
            Assert.Equal((started, 3), (backend.Requests.Count, bot.Service.RunningTurns));
            letOneGo.Release();
        }

        letOneGo.Release(2);
        await Task.WhenAll(answers.Select(a => a.Answered)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(8, bot.Channel.Replies.Count);
        Assert.Equal(0, bot.Service.RunningTurns);
    }

    [Fact]
    public async Task SameMessageIdTwice_IsAnsweredOnce_AlsoAfterARestart()
    {
        var backend = new ScriptedBackend();
        string path;
        await using (var bot = await CoreHarness.StartAsync(backend, databasePath: Path.Combine(Path.GetTempPath(), $"dup-{Guid.NewGuid():N}.db")))
        {
            path = bot.DatabasePath;
            await bot.AskAsync(bot.Channel.Message("c1", "hello", "m1"));
            var again = await bot.Service.AcceptAsync(bot.Channel.Message("c1", "hello", "m1"));
            Assert.Equal(AcceptStatus.Duplicate, again.Status);
        }

        await using (var restarted = await CoreHarness.StartAsync(backend, databasePath: path))
        {
            var again = await restarted.Service.AcceptAsync(restarted.Channel.Message("c1", "hello", "m1"));
            Assert.Equal(AcceptStatus.Duplicate, again.Status);
        }

        Assert.Single(backend.Requests);
        File.Delete(path);
    }

    [Fact]
    public async Task EmptyMessage_GetsAClearReply_AndTheConversationStaysUsable()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "   ", "m1")));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "now?", "m2")));

        Assert.Equal(UserMessages.Empty, bot.Channel.Replies[0].Text);
        Assert.Equal("Echo: now?", bot.Channel.Replies[1].Text);
        Assert.Single(backend.Requests);
    }

    [Fact]
    public async Task TextOverTheInputLimit_IsNotSent_TheUserIsTold()
    {
        var backend = new ScriptedBackend { MaxInputCharacters = 100 };
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", new string('x', 150), "m1")));
        await bot.AskAsync(bot.Channel.Message("c1", "short", "m2"));

        Assert.Contains("150 characters long, over the 100", bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal(["short"], backend.Requests.Select(r => r.Text));
    }

    [Fact]
    public async Task BackendFailure_IsOneSentence_AndTheNextMessageWorks()
    {
        var calls = 0;
        var backend = new ScriptedBackend
        {
            Script = (r, ct) => Interlocked.Increment(ref calls) == 1
                ? Failing(new AssistantFailureException(FailureKind.Busy, "HTTP 429 (rate_limit_exceeded) secret details"))
                : ScriptedBackend.Stream("fine", cancellationToken: ct),
        };
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "one", "m1")));
        Assert.Equal(TurnStatus.Completed, await bot.AskAsync(bot.Channel.Message("c1", "two", "m2")));

        Assert.Equal(UserMessages.Failure(FailureKind.Busy), bot.Channel.Replies[0].Text);
        Assert.DoesNotContain("secret", bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        var turn = await bot.Store.GetTurnAsync(1);
        Assert.Equal(TurnStatus.Failed, turn?.Status);
        Assert.Contains("rate_limit_exceeded", turn?.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamThatEndsWithoutFinishing_KeepsThePartialTextAndSaysItWasInterrupted()
    {
        var backend = new ScriptedBackend { Script = (_, _) => Events(new TextDelta("p", "The answer is")) };
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Failed, await bot.AskAsync(bot.Channel.Message("c1", "q", "m1")));

        Assert.Equal("The answer is\n\n" + UserMessages.Failure(FailureKind.StreamCut), bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task IncompleteAnswer_IsDeliveredWithANote()
    {
        var backend = new ScriptedBackend { Script = (_, _) => Events(new TextDelta("p", "Part"), new TurnFinished(true, IncompleteReason.LengthLimit)) };
        await using var bot = await CoreHarness.StartAsync(backend);

        Assert.Equal(TurnStatus.Incomplete, await bot.AskAsync(bot.Channel.Message("c1", "q", "m1")));
        Assert.Equal("Part\n\n" + UserMessages.Incomplete(IncompleteReason.LengthLimit), bot.Channel.Replies[0].Text);
    }

    [Fact]
    public async Task ConversationFromAnotherBackend_StartsANewOneAndSaysSo()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);
        var key = new ConversationKey("test", "c1");
        var old = await bot.Store.GetOrCreateConversationAsync(key, "Assistants", DateTimeOffset.UtcNow);
        await bot.Store.SetRemoteIdsAsync(old.Id, "thread_old", null);

        await bot.AskAsync(bot.Channel.Message("c1", "hi", "m1"));

        Assert.StartsWith(UserMessages.BackendSwitched("Assistants", "Scripted"), bot.Channel.Replies[0].Text, StringComparison.Ordinal);
        Assert.Equal("conv_1", (await bot.Store.FindConversationAsync(key))?.RemoteConversationId);
    }
}
