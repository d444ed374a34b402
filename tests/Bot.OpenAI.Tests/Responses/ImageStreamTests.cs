using System.Text;
using System.Text.Json;
using Bot.Core.Backends;
using Bot.OpenAI.Responses;
using Bot.OpenAI.Streaming;
using Bot.Testing.OpenAI;
using OpenAI.Responses;

namespace Bot.OpenAI.Tests.Responses;

/// <summary>
/// How image events are read from the stream's bytes: the item's fields in any order, over the limit without decoding,
/// terminal events without the images they repeat, and the SDK's models when a stream does not name its events.
/// </summary>
public sealed class ImageStreamTests
{
    private static readonly byte[] s_image = FakeImages.Png(5000, seed: 41);

    [Fact]
    public void AFinishedCall_IsRead_WhateverTheOrderOfItsFields()
    {
        var data = Utf8($$"""{"type":"response.output_item.done","item":{"result":"{{Convert.ToBase64String(s_image)}}","status":"completed","type":"image_generation_call","id":"ig_1"},"output_index":0,"sequence_number":9}""");

        Assert.True(ImageEventReader.TryReadDone(data, 1_000_000, out var image));

        Assert.Equal(("ig_1", "completed", StreamedImageProblem.None), (image!.CallId, image.Status, image.Problem));
        Assert.Equal(s_image, image.Bytes);
    }

    [Fact]
    public void AnotherItem_IsNotAnImage_EvenIfItsTextMentionsOne()
    {
        var data = Utf8("""{"type":"response.output_item.done","item":{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","text":"\"image_generation_call\""}]}}""");

        Assert.False(ImageEventReader.TryReadDone(data, 1_000_000, out _));
    }

    [Fact]
    public void AnImageOverTheLimit_IsNotDecoded()
    {
        var data = Utf8($$"""{"type":"response.image_generation_call.partial_image","item_id":"ig_1","partial_image_index":0,"partial_image_b64":"{{Convert.ToBase64String(s_image)}}"}""");

        Assert.True(ImageEventReader.TryReadPartial(data, 4000, out var image));

        Assert.Equal((StreamedImageProblem.TooLarge, null), (image!.Problem, image.Bytes));
    }

    [Fact]
    public void ATerminalEvent_LosesOnlyTheImagesItRepeats()
    {
        var result = Convert.ToBase64String(s_image);
        var data = Utf8("""{"type":"response.completed","response":{"id":"resp_1","output":[{"id":"ig_1","type":"image_generation_call","status":"completed","result":"IMAGE"},{"id":"ig_2","type":"image_generation_call","status":"completed","result":"not base64"}],"usage":{"input_tokens":3}}}""".Replace("IMAGE", result, StringComparison.Ordinal));

        var trimmed = ImageEventReader.WithoutImageResults(data).ToArray();

        Assert.Equal("""{"type":"response.completed","response":{"id":"resp_1","output":[{"id":"ig_1","type":"image_generation_call","status":"completed","result":null},{"id":"ig_2","type":"image_generation_call","status":"completed","result":null}],"usage":{"input_tokens":3}}}""",
            Encoding.UTF8.GetString(trimmed));
    }

    [Fact]
    public void AStreamThatDoesNotNameItsEvents_StillDeliversThePartialAndTheFinalImage_FromTheSdksModels()
    {
        var translator = new ResponseStreamTranslator();
        var partial = Translate(translator, $$"""{"type":"response.image_generation_call.partial_image","sequence_number":3,"output_index":0,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"{{Convert.ToBase64String(s_image)}}"}""");
        var done = Translate(translator, $$$"""{"type":"response.output_item.done","sequence_number":4,"output_index":0,"item":{"id":"ig_1","type":"image_generation_call","status":"completed","result":"{{{Convert.ToBase64String(s_image)}}}"}}""");

        Assert.Equal(s_image, Assert.Single(partial.OfType<PartialImageReady>()).Image.Content.ToArray());
        var file = Assert.Single(done.OfType<OutputFileReady>());
        Assert.Equal(("image-1.png", "ig_1"), (file.File.FileName, file.RemoteFileId));
        Assert.Equal(s_image, file.File.Content.ToArray());
    }

    private static List<AssistantEvent> Translate(ResponseStreamTranslator translator, string json) =>
        [.. translator.Translate(new ResponseStreamEvent(SdkModels.Read<StreamingResponseUpdate>(Utf8(json))))];

    private static byte[] Utf8(string json)
    {
        using var _ = JsonDocument.Parse(json); // the test's own JSON is well-formed
        return Encoding.UTF8.GetBytes(json);
    }
}
