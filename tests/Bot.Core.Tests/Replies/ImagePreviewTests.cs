using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Replies;
using Bot.Testing;
using Bot.Testing.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bot.Core.Tests.Replies;

/// <summary>
/// Image generation in the reply model: "Drawing…" while it runs, the latest partial image as the snapshot's preview
/// (never in a final state), handed to a channel that shows previews as it comes and to no other, and the final image
/// delivered as a file with the final state.
/// </summary>
public sealed class ImagePreviewTests
{
    private static readonly OutputFile s_partial0 = new("image-1-partial-1.png", "image/png", new byte[] { 1 });
    private static readonly OutputFile s_partial1 = new("image-1-partial-2.png", "image/png", new byte[] { 2 });
    private static readonly OutputFile s_final = new("image-1.png", "image/png", new byte[] { 3 });

    private readonly ManualClock _clock = new();
    private readonly ReplyState _state = new();

    [Fact]
    public void ImageGeneration_IsShownAsDrawing()
    {
        _state.Apply(new ToolActivity(ToolKind.ImageGeneration, Running: true));

        Assert.Equal("Drawing…", _state.Snapshot().Status!.Text);
    }

    [Fact]
    public void TheLatestPartialImage_IsThePreview_AnOlderOneArrivingLateIsNot_AndTheFinalStateHasNone()
    {
        Assert.True(_state.Apply(new PartialImageReady("ig_1", 0, s_partial0)));
        Assert.True(_state.Apply(new PartialImageReady("ig_1", 1, s_partial1)));
        Assert.False(_state.Apply(new PartialImageReady("ig_1", 0, s_partial0)));
        Assert.Equal(new ImagePreview("ig_1", 1, s_partial1), _state.Snapshot().Preview);

        _state.Apply(new OutputFileReady(s_final, "ig_1"));
        _state.Finish(ReplyEnding.Completed);

        var final = _state.Snapshot();
        Assert.Null(final.Preview);
        Assert.Equal([s_final], final.Files);
    }

    [Fact]
    public void AFailedDrawing_DropsItsPreview_AndSaysSoOnce()
    {
        _state.Apply(new PartialImageReady("ig_1", 0, s_partial0));

        _state.Apply(new ToolFailed(ToolKind.ImageGeneration));
        _state.Apply(new ToolFailed(ToolKind.ImageGeneration));

        var snapshot = _state.Snapshot();
        Assert.Null(snapshot.Preview);
        Assert.Equal(["⚠️ The image could not be made."], snapshot.Notices);
    }

    [Fact]
    public async Task AChannelThatShowsPreviews_GetsEachAsItComes_EvenBeforeAnyText_AndTheFinalImageAsAFile()
    {
        var writer = Writer(new RecordingPresenter(s => RecordingPresenter.Editable.Present(s) with { Preview = s.Preview }));
        await using var reply = Start(writer);

        _state.Apply(new PartialImageReady("ig_1", 0, s_partial0));
        reply.Invalidate();
        await Shown(writer, () => writer.Previews.Count == 1);
        Assert.Empty(writer.Messages);
        _state.Apply(new TextDelta("p", "Here it comes."));
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        _state.Apply(new PartialImageReady("ig_1", 1, s_partial1));
        reply.Invalidate();
        await Shown(writer, () => writer.Previews.Count == 2); // not held back by the edit interval: the text did not change

        _state.Apply(new OutputFileReady(s_final, "ig_1"));
        _state.Finish(ReplyEnding.Completed);
        var completing = reply.CompleteAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        await completing;

        Assert.Equal([s_partial0, s_partial1], writer.Previews.Select(p => p!.Image));
        Assert.Equal([s_final], writer.Files);
        Assert.Null(writer.Final!.Preview);
    }

    [Fact]
    public async Task AChannelWhosePresenterLeavesPreviewsOut_NeverGetsOne()
    {
        var writer = Writer(RecordingPresenter.Editable);
        await using var reply = Start(writer);

        _state.Apply(new PartialImageReady("ig_1", 0, s_partial0));
        _state.Apply(new TextDelta("p", "Here it comes."));
        reply.Invalidate();
        await Shown(writer, () => writer.Messages.Count == 1);
        _state.Apply(new OutputFileReady(s_final, "ig_1"));
        _state.Finish(ReplyEnding.Completed);
        await reply.CompleteAsync();

        Assert.Empty(writer.Previews);
        Assert.Equal([s_final], writer.Files);
    }

    private RecordingReplyWriter Writer(IReplyPresenter presenter)
    {
        var channel = new RecordingChannel(limits: new ChannelLimits(2000, TimeSpan.FromSeconds(1), 1000)) { Time = _clock, Presenter = presenter };
        return (RecordingReplyWriter)channel.CreateReplyWriter("r");
    }

    private ProgressiveReply Start(RecordingReplyWriter writer)
    {
        var reply = new ProgressiveReply(writer, _state, _clock, NullLogger.Instance);
        reply.Start();
        return reply;
    }

    private static Task Shown(RecordingReplyWriter writer, Func<bool> condition) => writer.Channel.Changes.UntilAsync(condition);
}
