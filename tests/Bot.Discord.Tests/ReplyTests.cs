using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Discord.Tests;

/// <summary>How answers are delivered: long answers, generated files, and the REST rate limits on the way.</summary>
public sealed class ReplyTests
{
    [Fact]
    public async Task AnswerOf5000Characters_BecomesThreeMessagesWithBalancedCodeFences()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var code = string.Join('\n', Enumerable.Range(1, 100).Select(i => $"print('line {i:D3} of a long program')"));
        var answer = "Here is the program:\n\n```python\n" + code + "\n```\n\n" + string.Join(' ', Enumerable.Repeat("Done.", 200));
        Assert.InRange(answer.Length, 4500, 5500);
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text(answer));

        var message = bot.Mention("write a long program");
        await bot.SendAsync(message);
        var replies = await bot.AnsweredAsync(message);

        Assert.Equal(3, replies.Count);
        Assert.All(replies, r =>
        {
            Assert.InRange(r.Content.Length, 1, 2000);
            Assert.Equal(0, CountFences(r.Content) % 2);
        });
        Assert.Null(replies[1].ReplyTo);
        var joined = string.Concat(replies.Select(r => r.Content));
        Assert.Contains("line 001", joined, StringComparison.Ordinal);
        Assert.Contains("line 100", joined, StringComparison.Ordinal);
        Assert.EndsWith("Done.", replies[2].Content, StringComparison.Ordinal);
        Assert.All(replies, r => Assert.False(r.HasStopButton));
    }

    [Fact]
    public async Task GeneratedImage_IsUploadedWithTheFinalMessage()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Plotting.").CodeInterpreterFile("chart.png", png).Text(" Here is the chart."));

        var message = bot.Mention("plot it");
        await bot.SendAsync(message);
        await bot.WaitUntilAsync(() => bot.RepliesTo(message) is [{ Attachments.Count: > 0 }, ..], "the uploaded chart");
        var reply = (await bot.AnsweredAsync(message))[0];

        var file = Assert.Single(reply.Attachments);
        Assert.Equal(("chart.png", png.Length), (file.FileName, (int)file.Size));
        var upload = Assert.Single(bot.Discord.Requests, r => r.Files.Count > 0);
        Assert.Equal("PATCH", upload.Method);
        Assert.Equal("chart.png", upload.Body?["attachments"]?[0]?["filename"]?.GetValue<string>());
    }

    [Fact]
    public async Task GeneratedFileOverTheUploadLimit_GetsAOneLineNoteInstead()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.MaxUploadBytes = 1000);
        bot.OpenAI.Enqueue(FakeResponse.Stream().Text("Made it.").CodeInterpreterFile("big.csv", new byte[5000]));

        var message = bot.Mention("make a big file");
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Empty(reply.Attachments);
        Assert.Contains("big.csv", reply.Content, StringComparison.Ordinal);
        Assert.Contains("upload limit", reply.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Discord.Requests, r => r.Files.Count > 0);
    }

    [Fact]
    public async Task RateLimitedEdit_WaitsRetryAfter_AndTheFinalTextArrives()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(20)).Text(string.Join(' ', Enumerable.Repeat("growing", 40))));
        bot.Discord.RateLimitNext("PATCH", "/channels/", TimeSpan.FromMilliseconds(400));

        var message = bot.Mention("go");
        await bot.SendAsync(message);
        var reply = Assert.Single(await bot.AnsweredAsync(message));

        Assert.Equal(string.Join(' ', Enumerable.Repeat("growing", 40)), reply.Content);
        var requests = bot.Discord.Requests.ToList();
        var limited = requests.FindIndex(r => r.Status == 429);
        Assert.True(limited >= 0, "the fake answered an edit with 429");
        var retry = requests.Skip(limited + 1).First(r => r.Method == "PATCH");
        Assert.True(retry.At - requests[limited].At >= TimeSpan.FromMilliseconds(390), "the retry waited retry_after");
    }

    [Fact]
    public async Task GlobalRateLimit_PausesEveryRequest_AndNothingIsLost()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.Discord.RateLimitNext("POST", $"/channels/{DiscordHarness.GuildChannel}/messages", TimeSpan.FromMilliseconds(300), scope: "global");

        var message = bot.Mention("hello");
        await bot.SendAsync(message);
        Assert.Equal("You said: Test User: hello", Assert.Single(await bot.AnsweredAsync(message)).Content);
        var limited = Assert.Single(bot.Discord.Requests, r => r.Status == 429);
        await bot.WaitUntilAsync(() => bot.Log.Entries.Any(e => e.EventId.Id == 5009 && e.Message.Contains("global", StringComparison.Ordinal)),
            "the global rate limit in the log");
        var later = bot.Discord.Requests.Where(r => r.At > limited.At && r.Path.Contains("/messages", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, r => Assert.True(r.At - limited.At >= TimeSpan.FromMilliseconds(290)));
    }

    [Fact]
    public async Task ExhaustedBucket_QueuesMessagesInsteadOfDroppingThem_AndDrawsNo429()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.ConversationScope = ConversationScope.User,
            d => d.RateLimits.Rules["POST /channels/:id/messages"] = new BucketRule(1, TimeSpan.FromMilliseconds(500), "msgcreate"));
        var messages = Enumerable.Range(1, 4).Select(i => bot.Mention($"question {i}", authorId: $"10330445213757645{i:D2}")).ToList();
        foreach (var message in messages)
            await bot.SendAsync(message);

        foreach (var message in messages)
            await bot.AnsweredAsync(message);
        Assert.Equal(0, bot.Discord.RateLimitedCount);
        Assert.Equal(4, bot.OpenAI.Ledger.CreatedConversations.Count);
    }

    [Fact]
    public async Task TenConversationsStreamingInOneChannel_ShareItsEditBudget_WithoutA429()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.ConversationScope = ConversationScope.User);
        var answer = string.Join(' ', Enumerable.Repeat("token", 60));
        bot.OpenAI.Responder = _ => FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(25)).Text(answer);
        var messages = Enumerable.Range(1, 10).Select(i => bot.Mention($"question {i}", authorId: $"20330445213757645{i:D2}")).ToList();
        foreach (var message in messages)
            await bot.SendAsync(message);

        foreach (var message in messages)
            Assert.Equal(answer, Assert.Single(await bot.AnsweredAsync(message)).Content);
        Assert.Equal(0, bot.Discord.RateLimitedCount);
        Assert.True(bot.Discord.Requests.Count(r => r.Route == "PATCH /channels/:id/messages/:id") > 10, "the answers were edited as they grew");
    }

    private static int CountFences(string text) => text.Split('\n').Count(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
}
