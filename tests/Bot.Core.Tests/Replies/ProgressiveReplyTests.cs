using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Testing;
using Bot.Testing.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Replies;

/// <summary>
/// The progressive reply on virtual time: every wait is a <see cref="ManualClock"/> timer, so pacing is checked exactly
/// (a write happens when the interval has passed, not a tick before) and nothing waits for real.
/// </summary>
public sealed class ProgressiveReplyTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly ManualClock _clock = new();
    private readonly ReplyState _state = new();

    [Fact]
    public async Task FirstText_IsPostedAtOnce_LaterStatesWaitForTheInterval_AndOnlyTheLatestIsWritten()
    {
        var writer = Writer(new ChannelLimits(2000, s_interval, 1000));
        await using var reply = Start(writer);

        Text("One");
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        Text(" two");
        reply.Invalidate();
        Text(" three");
        reply.Invalidate();
        await Paced(1);

        _clock.Advance(s_interval - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromTicks(1), _clock.UntilNextTimer); // the paced edit, not yet due
        Assert.Equal(["One"], writer.Messages);
        _clock.Advance(TimeSpan.FromTicks(1));
        await Shown(writer, () => writer.Messages[0] == "One two three");

        var writes = Visible(writer);
        Assert.Equal([WriteKind.Post, WriteKind.Edit], writes.Select(w => w.Kind));
        Assert.Equal(s_interval, writes[1].At - writes[0].At);
        Assert.Equal(0, writer.OverlappingWrites);
    }

    [Fact]
    public async Task FinalState_AlsoWaitsForTheInterval()
    {
        var writer = Writer(new ChannelLimits(2000, s_interval, 1000));
        await using var reply = Start(writer);
        Text("Thinking");
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        _clock.Advance(TimeSpan.FromMilliseconds(300));

        Text(" done");
        _state.Finish(ReplyEnding.Completed);
        var completing = reply.CompleteAsync();
        await Paced(1);
        Assert.Equal(TimeSpan.FromMilliseconds(700), _clock.UntilNextTimer);
        Assert.False(completing.IsCompleted);
        _clock.Advance(TimeSpan.FromMilliseconds(700));
        await completing.WaitAsync(TimeSpan.FromSeconds(30));

        var writes = Visible(writer);
        Assert.Equal(["Thinking", "Thinking done"], writes.Select(w => w.Text));
        Assert.Equal(s_interval, writes[1].At - writes[0].At);
        Assert.True(writer.Final!.IsFinal);
    }

    [Fact]
    public async Task CompletingDuringAWrite_LetsThatWriteFinish_ThenWritesTheFinalState_NeverTwoInFlight()
    {
        var latency = TimeSpan.FromMilliseconds(200);
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 1000), latency);
        await using var reply = Start(writer);
        Text("One");
        reply.Invalidate();
        await Paced(2); // the post and the typing indicator are in flight
        _clock.Advance(latency);
        await Shown(writer, () => writer.Messages.Count == 1);
        Text(" two");
        reply.Invalidate();
        await Paced(1); // the edit to "One two" is in flight

        Text(" three");
        _state.Finish(ReplyEnding.Completed);
        var completing = reply.CompleteAsync();
        _clock.Advance(latency);
        await Shown(writer, () => writer.Messages[0] == "One two");
        await Paced(1); // now the final edit
        _clock.Advance(latency);
        await completing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["One", "One two", "One two three"], Visible(writer).Select(w => w.Text));
        Assert.Equal(0, writer.OverlappingWrites);
    }

    [Fact]
    public async Task LongReply_RollsIntoContinuationMessages_WithCodeFencesKeptWhole()
    {
        var writer = Writer(new ChannelLimits(100, TimeSpan.Zero, 1000));
        var text = "```python\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"x{i} = {i}")) + "\n```";
        await using var reply = Start(writer);
        Text(text);
        _state.Finish(ReplyEnding.Completed);

        await reply.CompleteAsync();

        Assert.True(writer.Messages.Count >= 3);
        Assert.All(writer.Messages, m => Assert.True(m.Length <= 100));
        Assert.All(writer.Messages, m => Assert.StartsWith("```python\n", m, StringComparison.Ordinal));
        Assert.All(writer.Messages, m => Assert.EndsWith("\n```", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedEdits_TheFinalStateIsStillDelivered()
    {
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 1000));
        writer.Channel.FailWrite = (kind, index) => kind == WriteKind.Edit && index < 2; // fewer than the final delivery's three attempts
        await using var reply = Start(writer);
        Text("Hel");
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        Text("lo world");
        _state.Finish(ReplyEnding.Completed);

        var start = _clock.Now;
        var completing = reply.CompleteAsync();
        await RetryAfter(TimeSpan.FromMilliseconds(500));
        await RetryAfter(TimeSpan.FromSeconds(1));
        await completing;

        Assert.Equal(
            [(start, "(failed) Hello world"), (start.AddSeconds(0.5), "(failed) Hello world"), (start.AddSeconds(1.5), "Hello world")],
            writer.Writes.Where(w => w.Kind == WriteKind.Edit).Select(w => (w.At, w.Text)));
        Assert.Equal(["Hello world"], writer.Messages);
    }

    [Fact]
    public async Task EditsThatNeverSucceed_FinalTextIsPostedAsANewMessage()
    {
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 1000));
        writer.Channel.FailWrite = (kind, _) => kind == WriteKind.Edit;
        await using var reply = Start(writer);
        Text("Partial");
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        Text(" and final");
        _state.Finish(ReplyEnding.Completed);

        var start = _clock.Now;
        var completing = reply.CompleteAsync();
        await RetryAfter(TimeSpan.FromMilliseconds(500));
        await RetryAfter(TimeSpan.FromSeconds(1));
        await RetryAfter(TimeSpan.FromSeconds(1.5));
        await completing;

        Assert.Equal(3, writer.Writes.Count(w => w.Kind == WriteKind.Edit));
        var repost = writer.Writes[^1];
        Assert.Equal((WriteKind.Post, "Partial and final", start.AddSeconds(3)), (repost.Kind, repost.Text, repost.At));
        Assert.Equal(["Partial", "Partial and final"], writer.Messages);
    }

    [Fact]
    public async Task Files_OverTheUploadLimitBecomeANote_TheOthersAreSent()
    {
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 10));
        await using var reply = Start(writer);
        Text("Here you go.");
        _state.Apply(new OutputFileReady(new OutputFile("small.csv", "text/csv", new byte[5]), "f1"));
        _state.Apply(new OutputFileReady(new OutputFile("huge.png", "image/png", new byte[50]), "f2"));
        _state.Finish(ReplyEnding.Completed);

        await reply.CompleteAsync();

        Assert.Equal("small.csv", Assert.Single(writer.Files).FileName);
        Assert.Contains("huge.png", writer.Text, StringComparison.Ordinal);
        Assert.Contains("upload limit", writer.Text, StringComparison.Ordinal);
        Assert.Equal("small.csv", Assert.Single(writer.Final!.Files).FileName);
    }

    [Fact]
    public async Task StatusAlone_IsShownAsAnItalicLine_ThenReplacedByTheAnswer()
    {
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 1000));
        await using var reply = Start(writer);
        _state.Apply(new ToolActivity(ToolKind.CodeInterpreter, Running: true));
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);

        Assert.Equal("_Running code…_", writer.Messages[0]);
        Text("The mean is 4.2.");
        _state.Finish(ReplyEnding.Completed);
        await reply.CompleteAsync();
        Assert.Equal(["The mean is 4.2."], writer.Messages);
    }

    [Fact]
    public async Task StatusApart_GoesToShowStatus_AndTheTextOnlyGrows()
    {
        var writer = Writer(new ChannelLimits(int.MaxValue, TimeSpan.Zero, long.MaxValue), presenter: RecordingPresenter.AppendOnly);
        await using var reply = Start(writer);
        Text("Let me compute.");
        _state.Apply(new ToolActivity(ToolKind.CodeInterpreter, Running: true));
        reply.Invalidate();
        await Shown(writer, () => writer.Writes.Any(w => w.Kind == WriteKind.Status));
        _state.Apply(new FileCitation("p", 3, "file-1", "notes.txt"));
        Text(" It is 4.");
        _state.Finish(ReplyEnding.Completed);

        await reply.CompleteAsync();

        Assert.Equal(["Running code…", ""], writer.Writes.Where(w => w.Kind == WriteKind.Status).Select(w => w.Text));
        var texts = Visible(writer).Select(w => w.Text).ToList();
        for (var i = 1; i < texts.Count; i++)
            Assert.StartsWith(texts[i - 1], texts[i], StringComparison.Ordinal);
        Assert.Equal("Let me compute. It is 4.\n\n[1] notes.txt", texts[^1]);
    }

    [Fact]
    public async Task AChannelThatEndsTheReply_GetsNoMoreWrites_ButIsStillCompleted()
    {
        var writer = new EndingWriter();
        await using var reply = new ProgressiveReply(writer, _state, _clock, NullLogger.Instance);
        reply.Start();
        Text("First");
        reply.Invalidate();
        await writer.Changes.UntilAsync(() => writer.Posts == 1);
        Text(" and more");
        reply.Invalidate();
        _state.Apply(new OutputFileReady(new OutputFile("a.csv", "text/csv", new byte[1]), "f1"));
        _state.Finish(ReplyEnding.Completed);

        await reply.CompleteAsync();

        Assert.Equal((1, 0, 0), (writer.Posts, writer.Edits, writer.FileSends));
        Assert.True(writer.Completed);
    }

    [Fact]
    public async Task SendOnce_PostsTheFinalLayout_WithoutLiveParts_AndCompletes()
    {
        var writer = Writer(new ChannelLimits(2000, TimeSpan.Zero, 1000));

        await ProgressiveReply.SendOnceAsync(writer, ReplySnapshot.Notice(new ReplyEnding(ReplyEndingKind.Interrupted, "Restarted.")));

        var post = Assert.Single(writer.Writes);
        Assert.Equal((WriteKind.Post, "Restarted."), (post.Kind, post.Text));
        Assert.True(post.Snapshot!.IsFinal);
        Assert.NotNull(writer.Final);
    }

    private RecordingReplyWriter Writer(ChannelLimits limits, TimeSpan latency = default, IReplyPresenter? presenter = null)
    {
        var channel = new RecordingChannel(limits: limits) { Time = _clock, WriteLatency = latency };
        if (presenter is not null)
            channel.Presenter = presenter;
        return (RecordingReplyWriter)channel.CreateReplyWriter("r");
    }

    private ProgressiveReply Start(RecordingReplyWriter writer)
    {
        var reply = new ProgressiveReply(writer, _state, _clock, NullLogger.Instance);
        reply.Start();
        return reply;
    }

    private void Text(string text) => _state.Apply(new TextDelta("p", text));

    // Timers other than the typing loop's (which waits 8 s between indicators): edit pacing, write latency, retries.
    private int PacedTimers() => _clock.TimersDueWithin(TimeSpan.FromSeconds(5));

    private static List<WriteRecord> Visible(RecordingReplyWriter writer) => [.. writer.Writes.Where(w => w.Kind is WriteKind.Post or WriteKind.Edit)];

    // Waits until the failed write's retry is the next thing due, exactly `wait` from now, and lets that time pass.
    private async Task RetryAfter(TimeSpan wait)
    {
        await Paced(1);
        Assert.Equal(wait, _clock.UntilNextTimer);
        _clock.Advance(wait);
    }

    // Waits (for a signal, not for time) until `count` paced timers are set: the reply is waiting for the clock.
    private Task Paced(int count) => _clock.Changes.UntilAsync(() => PacedTimers() == count);

    private static Task Shown(RecordingReplyWriter writer, Func<bool> condition) => writer.Channel.Changes.UntilAsync(condition);

    /// <summary>A channel whose user stopped the reply on the platform: its first post ends the reply.</summary>
    private sealed class EndingWriter : IReplyWriter
    {
        public readonly StateChanges Changes = new();
        public int Posts;
        public int Edits;
        public int FileSends;
        public bool Completed;

        public ChannelLimits Limits { get; } = new(2000, TimeSpan.Zero, 1000);

        public IReplyPresenter Presenter => RecordingPresenter.Editable;

        public Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Posts);
            Changes.Notify();
            return Task.FromResult(PostResult.EndedByChannel);
        }

        public Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Edits);
            return Task.CompletedTask;
        }

        public Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref FileSends);
            return Task.CompletedTask;
        }

        public Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default)
        {
            Completed = true;
            return Task.CompletedTask;
        }
    }
}
