using Bot.Testing.OpenAI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bot.Web.Tests.Browser;

public sealed partial class BrowserChatTests
{
    [Fact]
    public async Task ADrawing_ShowsDrawingAndEachPartialImageInTheAnswer_ThenTheFinalImageInTheirPlace()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?>
        {
            ["OpenAI:Tools:ImageGeneration"] = "true",
            ["OpenAI:ImagePartials"] = "2",
        });
        var proceed = new SemaphoreSlim(0);
        bed.OpenAI.Enqueue(FakeResponse.Stream()
            .ImageGeneration(TestImages.Chart(), _ => proceed.WaitAsync(), TestImages.Chart(120, 80), TestImages.Chart(240, 160))
            .Text("Here is your chart."));
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 900 });
        var assistant = page.Locator(".msg.assistant");

        await page.Locator("#input").FillAsync("Draw a chart");
        await page.Locator("#input").PressAsync("Enter");
        foreach (var width in new[] { 120, 240 })
        {
            // The fake holds the drawing after each partial image until the page shows it.
            await page.WaitForFunctionAsync(
                $"() => {{ const i = document.querySelector('.msg.assistant img.preview'); return !!i && i.complete && i.naturalWidth === {width}; }}");
            await Expect(page.Locator("#status")).ToHaveTextAsync("Drawing…");
            proceed.Release();
        }

        await Expect(assistant.Last).ToContainTextAsync("Here is your chart.");
        await page.WaitForFunctionAsync(
            "() => { const i = document.querySelector('.msg.assistant img.output:not(.preview)'); return !!i && i.complete && i.naturalWidth === 360; }");
        await Expect(page.Locator("img.preview")).ToHaveCountAsync(0);
        await Expect(assistant).ToHaveCountAsync(1);
    }
}
