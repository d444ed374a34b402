using Bot.Core.Attachments;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing.Backends;
using Bot.Testing.Conversations;

namespace Bot.Core.Tests.Conversations;

public sealed class AttachmentTurnTests
{
    [Fact]
    public async Task BadFiles_EachGetAWarningNamingItAndWhy_TheRestOfTheMessageGoesThrough()
    {
        var backend = new ScriptedBackend { FailUploadOf = "refused.csv" };
        await using var bot = await CoreHarness.StartAsync(backend, attachments: new AttachmentOptions { MaxFileBytes = 1000 });
        var files = bot.Channel.AttachmentContents;
        files["good"] = "x,y\n1,2\n"u8.ToArray();
        files["sneaky"] = new byte[1500];
        files["zero"] = [];
        files["refused"] = "a,b\n"u8.ToArray();
        IncomingAttachment[] attachments =
        [
            new("setup.exe", null, 10, "good"),
            new("empty.csv", null, 0, "good"),
            new("big.pdf", null, 2000, "good"),
            new("sneaky.csv", null, null, "sneaky"),
            new("gone.pdf", null, 10, "missing"),
            new("zero.txt", null, null, "zero"),
            new("refused.csv", null, 4, "refused"),
            new("good.csv", "text/csv", 8, "good"),
        ];

        var status = await bot.AskAsync(bot.Channel.Message("c1", "plot this", "m1", attachments: attachments));

        Assert.Equal(TurnStatus.Completed, status);
        var reply = bot.Channel.Replies.Single().Text;
        Assert.Contains("**setup.exe**: .exe files are not supported", reply, StringComparison.Ordinal);
        Assert.Contains("**empty.csv**: the file is empty", reply, StringComparison.Ordinal);
        Assert.Contains("**big.pdf**: it is 2 KB, over the 1000 bytes limit", reply, StringComparison.Ordinal);
        Assert.Contains("**sneaky.csv**: it is over the 1000 bytes limit", reply, StringComparison.Ordinal);
        Assert.Contains("**gone.pdf**: it could not be downloaded", reply, StringComparison.Ordinal);
        Assert.Contains("**zero.txt**: the file is empty", reply, StringComparison.Ordinal);
        Assert.Contains("**refused.csv**: the assistant service did not accept it", reply, StringComparison.Ordinal);
        Assert.EndsWith("Echo: plot this\n\n(Attached: good.csv)", reply, StringComparison.Ordinal);

        var upload = Assert.Single(backend.Uploads);
        Assert.Equal(("good.csv", AttachmentTarget.CodeInterpreter), (upload.FileName, upload.Target));
        Assert.Equal(files["good"], ((MemoryStream)upload.Content).ToArray());
    }

    [Fact]
    public async Task OnlyUnusableFiles_AndNoText_SaysThereWasNothingToAnswer()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);

        var status = await bot.AskAsync(bot.Channel.Message("c1", "", "m1", attachments: [new("virus.exe", null, 10, "x")]));

        Assert.Equal(TurnStatus.Failed, status);
        Assert.EndsWith(UserMessages.NothingLeft, bot.Channel.Replies.Single().Text, StringComparison.Ordinal);
        Assert.Empty(backend.Requests);
    }

    [Fact]
    public async Task DataFilesOfEarlierTurns_AreOfferedToTheCodeInterpreterAgain()
    {
        var backend = new ScriptedBackend();
        await using var bot = await CoreHarness.StartAsync(backend);
        bot.Channel.AttachmentContents["a"] = "1,2"u8.ToArray();

        await bot.AskAsync(bot.Channel.Message("c1", "load", "m1", attachments: [new("a.csv", null, 3, "a")]));
        await bot.AskAsync(bot.Channel.Message("c1", "plot it", "m2"));

        Assert.Equal(["file_1"], backend.Requests[1].Thread.CodeInterpreterFileIds);
    }
}
