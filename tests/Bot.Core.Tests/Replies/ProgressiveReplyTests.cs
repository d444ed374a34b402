using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Testing.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Replies;

public sealed class ProgressiveReplyTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task FirstText_IsPostedAtOnce_LaterTextIsEditedNoFasterThanTheInterval()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, s_interval, 1000));
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("", null);
        await using var reply = new ProgressiveReply(writer, () => Volatile.Read(ref view), TimeProvider.System, NullLogger.Instance);
        reply.Start();

        var text = "";
        for (var i = 0; i < 60; i++)
        {
            text += $"token{i} ";
            Volatile.Write(ref view, new ReplyView(text, null));
            reply.Invalidate();
            await Task.Delay(10);
        }

        await reply.CompleteAsync(new ReplyView(text.TrimEnd(), null), []);

        var writes = writer.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit).ToList();
        Assert.Equal(WriteKind.Post, writes[0].Kind);
        Assert.StartsWith("token0", writes[0].Text, StringComparison.Ordinal);
        Assert.InRange(writes.Count, 3, 12); // ~600 ms of tokens at one edit per 100 ms, not 60 edits
        for (var i = 1; i < writes.Count; i++)
            Assert.True(writes[i].At - writes[i - 1].At >= s_interval, $"edit {i} came too soon");
        Assert.Equal(text.TrimEnd(), writer.Text);
        Assert.Equal(0, writer.OverlappingWrites);
    }

    [Fact]
    public async Task FinalEdit_AlsoWaitsForTheInterval()
    {
        var interval = TimeSpan.FromMilliseconds(250);
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, interval, 1000));
        for (var run = 0; run < 5; run++)
        {
            var writer = (RecordingReplyWriter)channel.CreateReplyWriter($"r{run}");
            // Timers on a coarse clock fire a little early; this one fires 20 ms early on purpose.
            await using var reply = new ProgressiveReply(writer, () => new ReplyView("Thinking", null), new EarlyTimers(TimeSpan.FromMilliseconds(20)),
                NullLogger.Instance);
            reply.Start();
            reply.Invalidate();
            while (writer.Messages.Count == 0)
                await Task.Delay(1);
            await Task.Delay(run * 37); // end at different points of the interval

            await reply.CompleteAsync(new ReplyView("Thinking done", null), []);

            var writes = writer.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit).ToList();
            Assert.Equal(2, writes.Count);
            Assert.True(writes[1].At - writes[0].At >= interval, $"final edit after {(writes[1].At - writes[0].At).TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task SlowPlatform_SkipsIntermediateStates_AndNeverHasTwoWritesInFlight()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.Zero, 1000)) { WriteLatency = TimeSpan.FromMilliseconds(40) };
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("", null);
        await using var reply = new ProgressiveReply(writer, () => Volatile.Read(ref view), TimeProvider.System, NullLogger.Instance);
        reply.Start();

        for (var i = 1; i <= 100; i++)
        {
            Volatile.Write(ref view, new ReplyView(new string('x', i), null));
            reply.Invalidate();
            await Task.Delay(2);
        }

        await reply.CompleteAsync(new ReplyView(new string('x', 100), null), []);

        Assert.Equal(0, writer.OverlappingWrites);
        Assert.True(writer.Writes.Count(w => w.Kind is WriteKind.Post or WriteKind.Edit) < 50);
        Assert.Equal(new string('x', 100), writer.Text);
    }

    [Fact]
    public async Task CompletingDuringAWrite_LetsThatWriteFinish_ThenWritesTheFinalState()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.Zero, 1000)) { WriteLatency = TimeSpan.FromMilliseconds(200) };
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("One", null);
        await using var reply = new ProgressiveReply(writer, () => view, TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();
        while (writer.Messages.Count == 0)
            await Task.Delay(5);
        view = new ReplyView("One two", null);
        reply.Invalidate();
        await Task.Delay(50); // the edit to "One two" is now in flight

        await reply.CompleteAsync(new ReplyView("One two three", null), []);

        Assert.Equal(["One", "One two", "One two three"], writer.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit).Select(w => w.Text));
        Assert.Equal(0, writer.OverlappingWrites);
    }

    [Fact]
    public async Task LongReply_RollsIntoContinuationMessages()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(100, TimeSpan.Zero, 1000));
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var text = string.Join(' ', Enumerable.Range(0, 80).Select(i => $"w{i}"));
        await using var reply = new ProgressiveReply(writer, () => new ReplyView(text, null), TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();

        await reply.CompleteAsync(new ReplyView(text, null), []);

        Assert.True(writer.Messages.Count >= 3);
        Assert.All(writer.Messages, m => Assert.True(m.Length <= 100));
        Assert.Equal(text.Split(' '), writer.Messages.SelectMany(m => m.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task FailedEdits_TheFinalStateIsStillDelivered()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.FromMilliseconds(10), 1000))
        {
            FailWrite = (kind, index) => kind == WriteKind.Edit && index < 2, // fewer than the final delivery's three attempts
        };
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("Hel", null);
        await using var reply = new ProgressiveReply(writer, () => view, TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();
        await WaitUntil(() => writer.Messages.Count == 1);
        view = new ReplyView("Hello wor", null);
        reply.Invalidate();

        await reply.CompleteAsync(new ReplyView("Hello world", null), []);

        Assert.Contains(writer.Writes, w => w.Text.StartsWith("(failed)", StringComparison.Ordinal));
        Assert.Equal(["Hello world"], writer.Messages);
    }

    [Fact]
    public async Task EditsThatNeverSucceed_FinalTextIsPostedAsANewMessage()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.Zero, 1000)) { FailWrite = (kind, _) => kind == WriteKind.Edit };
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        await using var reply = new ProgressiveReply(writer, () => new ReplyView("Partial", null), TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();
        await WaitUntil(() => writer.Messages.Count == 1);

        await reply.CompleteAsync(new ReplyView("Partial and final", null), []);

        Assert.Equal("Partial and final", writer.Messages[^1]);
    }

    [Fact]
    public async Task Files_OverTheUploadLimitBecomeANote_TheOthersAreSent()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.Zero, 10));
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        await using var reply = new ProgressiveReply(writer, () => new ReplyView("", null), TimeProvider.System, NullLogger.Instance);
        reply.Start();

        await reply.CompleteAsync(new ReplyView("Here you go.", null),
            [new OutputFile("small.csv", "text/csv", new byte[5]), new OutputFile("huge.png", "image/png", new byte[50])]);

        Assert.Equal("small.csv", Assert.Single(writer.Files).FileName);
        Assert.Contains("huge.png", writer.Text, StringComparison.Ordinal);
        Assert.Contains("upload limit", writer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAlone_IsShownThenReplacedByTheAnswer()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.Zero, 1000));
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("", "Running code…");
        await using var reply = new ProgressiveReply(writer, () => view, TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();
        await WaitUntil(() => writer.Messages.Count == 1);

        Assert.Equal("_Running code…_", writer.Messages[0]);
        await reply.CompleteAsync(new ReplyView("The mean is 4.2.", null), []);
        Assert.Equal(["The mean is 4.2."], writer.Messages);
    }

    [Fact]
    public async Task AppendOnlyChannel_GetsStatusSeparately_AndTextOnlyGrows()
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(int.MaxValue, TimeSpan.Zero, long.MaxValue, AppendOnly: true));
        var writer = (RecordingReplyWriter)channel.CreateReplyWriter("r");
        var view = new ReplyView("Let me compute.", "Running code…");
        await using var reply = new ProgressiveReply(writer, () => view, TimeProvider.System, NullLogger.Instance);
        reply.Start();
        reply.Invalidate();
        await WaitUntil(() => writer.Writes.Any(w => w.Kind == WriteKind.Status));

        await reply.CompleteAsync(new ReplyView("Let me compute. It is 4.", null), []);

        Assert.Contains(writer.Writes, w => w.Kind == WriteKind.Status && w.Text == "Running code…");
        var texts = writer.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit).Select(w => w.Text).ToList();
        for (var i = 1; i < texts.Count; i++)
            Assert.StartsWith(texts[i - 1], texts[i], StringComparison.Ordinal);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }

    private sealed class EarlyTimers(TimeSpan early) : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            System.CreateTimer(callback, state, dueTime > early ? dueTime - early : TimeSpan.Zero, period);
    }
}
