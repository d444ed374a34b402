using Bot.Core.Storage;
using Bot.Testing.Channels;
using Bot.Testing.OpenAI;

namespace Bot.OpenAI.Tests.Backends;

/// <summary>Generated files are read within OpenAI:MaxOutputFileBytes, for both backends.</summary>
public sealed class OutputFileLimitScenarios
{
    private const int Limit = 1024 * 1024;

    // Far more than the limit plus what the connection's buffers hold (tens of MB on loopback), so that a download the
    // bot stopped early is told apart from one it read to the end. The fake makes the bytes up as it serves them.
    private const long HugeSize = 256L * 1024 * 1024;

    public static TheoryData<string> Backends => BackendTurnScenarios.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AGeneratedFileOverTheLimit_IsNotReadToTheEnd_TheUserGetsANote_AndTheAnswerAndTheOtherFilesAreKept(string api)
    {
        var small = "x,y\n1,2\n"u8.ToArray();
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxOutputFileBytes = Limit,
            channel: new RecordingChannel(limits: new(2000, TimeSpan.Zero, long.MaxValue)));
        // Without Content-Length the size is only learnt by reading, so the limit must hold while reading.
        bot.Server.ChunkedDownloads = true;
        bot.Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("huge.csv", HugeSize).CodeInterpreterFile("small.csv", small).Text("Both files are ready."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "make two files"));

        var reply = bot.Channel.Replies.Single();
        Assert.Equal(small, Assert.Single(reply.Files).Content.ToArray());
        Assert.Equal("Both files are ready.\n\n📎 huge.csv is larger than 1 MB, the most the bot downloads, so it is not attached.", reply.Text);
        var download = await bot.Server.DownloadOfAsync("huge.csv");
        Assert.False(download.Complete, $"the bot read {download.Served} of {download.Bytes} bytes");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AGeneratedFileWhoseAnnouncedSizeIsOverTheLimit_IsNotRead(string api)
    {
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxOutputFileBytes = Limit);
        bot.Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("huge.csv", HugeSize).Text("Here it is."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "make a big file"));

        var reply = bot.Channel.Replies.Single();
        Assert.Empty(reply.Files);
        Assert.EndsWith("📎 huge.csv is larger than 1 MB, the most the bot downloads, so it is not attached.", reply.Text, StringComparison.Ordinal);
        var download = await bot.Server.DownloadOfAsync("huge.csv");
        Assert.False(download.Complete, $"the bot read {download.Served} of {download.Bytes} bytes");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task AGeneratedFileOfExactlyTheLimit_IsDelivered(string api)
    {
        var exact = new byte[Limit];
        exact[^1] = 7;
        await using var bot = await BackendHarness.StartAsync(api, configure: o => o.MaxOutputFileBytes = Limit,
            channel: new RecordingChannel(limits: new(2000, TimeSpan.Zero, long.MaxValue)));
        bot.Server.ChunkedDownloads = true;
        bot.Server.Enqueue(FakeResponse.Stream().CodeInterpreterFile("exact.csv", exact).Text("Done."));

        Assert.Equal(TurnStatus.Completed, await bot.AskAsync("c1", "make a file"));

        Assert.Equal(exact, Assert.Single(bot.Channel.Replies.Single().Files).Content.ToArray());
        Assert.Equal("Done.", bot.Channel.Replies.Single().Text);
    }
}
