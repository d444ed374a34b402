using Bot.Testing.OpenAI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bot.Web.Tests.Browser;

/// <summary>The page's Markdown renderer: model text never becomes markup, and no nesting can break it.</summary>
public sealed partial class BrowserChatTests
{
    [Fact]
    public async Task AnAnswerWithScriptOrImgOnError_RendersAsText()
    {
        await using var bed = await TestBed.StartAsync();
        const string hostile = "Look: <script>window.__pwned = 1</script> and <img src=x onerror=\"window.__pwned = 2\"> " +
            "and [click me](javascript:window.__pwned=3) and `<b>code</b>`";
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text(hostile).Completed());
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });

        await page.Locator("#input").FillAsync("Say something <b>bold</b>");
        await page.Locator("#input").PressAsync("Enter");

        var answer = page.Locator(".msg.assistant").Last;
        await Expect(answer).ToContainTextAsync("<script>window.__pwned = 1</script>");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(answer).ToContainTextAsync("<img src=x onerror=\"window.__pwned = 2\">");
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("Say something <b>bold</b>");
        Assert.Equal(0, await page.Locator(".msg script, .msg img, .msg b").CountAsync());
        Assert.Equal(0, await answer.Locator("a").CountAsync());
        Assert.Contains("click me", await answer.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
    }

    [Fact]
    public async Task AnAnswerWithThousandsOfNestedQuotes_RendersWithoutCrashing_AndThePageKeepsWorking()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text($"Nested:\n\n{new string('>', 5000)} the bottom\n\nAfter the quotes.").Completed());
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });

        await page.Locator("#input").FillAsync("Quote yourself");
        await page.Locator("#input").PressAsync("Enter");

        var answer = page.Locator(".msg.assistant").Last;
        await Expect(answer).ToContainTextAsync("After the quotes.");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(answer).ToContainTextAsync("the bottom");
        var depth = await answer.EvaluateAsync<int>("""
            node => {
              let deepest = 0;
              for (const quote of node.querySelectorAll("blockquote")) {
                let depth = 0;
                for (let n = quote; n && n !== node; n = n.parentElement) if (n.tagName === "BLOCKQUOTE") depth++;
                deepest = Math.max(deepest, depth);
              }
              return deepest;
            }
            """);
        Assert.InRange(depth, 1, 16);

        // The page still works: the next answer arrives and renders.
        await page.Locator("#input").FillAsync("Still there?");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.assistant").Last).ToHaveTextAsync("You said: Still there?");
    }

    [Fact]
    public async Task TheMarkdownRenderer_BoundsNestingOfQuotesListsAndEmphasis()
    {
        await using var bed = await TestBed.StartAsync();
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });

        // Straight at the renderer, with inputs far past what a chat answer needs: each must render, bounded and intact.
        var results = await page.EvaluateAsync<int[]>("""
            () => {
              const depthOf = (fragment, tags) => {
                let deepest = 0;
                const walk = (node, depth) => {
                  for (const child of node.children) {
                    const d = depth + (tags.includes(child.tagName) ? 1 : 0);
                    deepest = Math.max(deepest, d);
                    walk(child, d);
                  }
                };
                const box = document.createElement("div");
                box.appendChild(fragment);
                walk(box, 0);
                return [deepest, box.textContent.length];
              };
              const quotes = ">".repeat(20000) + " bottom";
              const lists = Array.from({ length: 3000 }, (_, i) => " ".repeat(i * 2) + "- level " + i).join("\n");
              const emphasis = "**".repeat(20000) + "x" + "**".repeat(20000);
              const links = "[".repeat(5000) + "x" + "](https://example.com)".repeat(5000);
              return [
                ...depthOf(window.BotMarkdown.render(quotes), ["BLOCKQUOTE"]),
                ...depthOf(window.BotMarkdown.render(lists), ["UL", "OL"]),
                ...depthOf(window.BotMarkdown.render(emphasis), ["STRONG", "EM"]),
                ...depthOf(window.BotMarkdown.render(links), ["A", "STRONG", "EM"]),
              ];
            }
            """);

        Assert.InRange(results[0], 1, 16);
        Assert.True(results[1] >= "bottom".Length, "The deepest quote's text is kept.");
        Assert.InRange(results[2], 1, 16);
        Assert.True(results[3] >= "level 2999".Length, "The deepest list item's text is kept.");
        Assert.InRange(results[4], 0, 16);
        Assert.InRange(results[6], 0, 16);
    }
}
