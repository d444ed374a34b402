using System.Text.Json;

namespace Bot.Testing.OpenAI;

/// <summary>The image generation step: the events of `image_generation_call` as the specification defines them.</summary>
internal sealed partial class ResponseRun
{
    private static readonly JsonEncodedText s_imageInProgress = JsonEncodedText.Encode("response.image_generation_call.in_progress");
    private static readonly JsonEncodedText s_imageGenerating = JsonEncodedText.Encode("response.image_generation_call.generating");
    private static readonly JsonEncodedText s_imagePartial = JsonEncodedText.Encode("response.image_generation_call.partial_image");
    private static readonly JsonEncodedText s_imageCompleted = JsonEncodedText.Encode("response.image_generation_call.completed");

    private async Task ImageGenerationAsync(ImageGenerationStep step)
    {
        var item = new ImageGenerationCallItem(step.Result, step.Outcome == FakeImageOutcome.Failed);
        var index = Add(item);
        if (sse is null)
        {
            item.Done = step.Outcome != FakeImageOutcome.Interrupted;
            return;
        }

        await ItemAddedAsync(index, item);
        await ToolEventAsync(s_imageInProgress, index, item);
        await ToolEventAsync(s_imageGenerating, index, item);
        await SearchPauseAsync(); // drawing takes a while: it is when "Drawing…" shows
        for (var i = 0; i < step.PartialImages.Count; i++)
        {
            await PartialImageAsync(index, item, i, step.PartialImages[i]);
            if (step.AfterPartialImage is { } gate)
            {
                await gate(i).WaitAsync(cancellationToken);
            }
        }

        if (step.Outcome == FakeImageOutcome.Interrupted)
        {
            return;
        }

        if (step.Outcome == FakeImageOutcome.Completed)
        {
            await ToolEventAsync(s_imageCompleted, index, item);
        }

        await ItemDoneAsync(index, item);
    }

    // ResponseImageGenCallPartialImageEvent, with the optional settings the image was drawn with.
    private async Task PartialImageAsync(int outputIndex, FakeItem item, int partialIndex, byte[] image)
    {
        var tool = Request.Public.ImageGeneration;
        var w = sse!.Begin(s_imagePartial);
        w.WriteNumber(JsonNames.OutputIndex, outputIndex);
        w.WriteString(JsonNames.ItemId, item.Id);
        w.WriteNumber("partial_image_index", partialIndex);
        w.WriteBase64String("partial_image_b64", image);
        w.WriteString("size", tool?.Size is { } size && size != "auto" ? size : "1024x1024");
        w.WriteString("quality", tool?.Quality is { } quality && quality != "auto" ? quality : "medium");
        w.WriteString("background", "opaque");
        w.WriteString("output_format", tool?.OutputFormat ?? "png");
        await sse.EndAsync();
    }
}
