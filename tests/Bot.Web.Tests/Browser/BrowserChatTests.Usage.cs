using Bot.Testing.OpenAI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bot.Web.Tests.Browser;

/// <summary>The usage panel: typed /usage is a command for the page, never a message; the button shows the same numbers.</summary>
public sealed partial class BrowserChatTests
{
    [Fact]
    public async Task TypingSlashUsage_ShowsTheVisitorsUsage_AndSendsNothing()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Budgets:PerUserDailyTokens"] = "100" });
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("Hi there.").Usage(15, 6));
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });
        await page.Locator("#input").FillAsync("hello");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.assistant").Last).ToHaveTextAsync("Hi there.");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();

        await page.Locator("#input").FillAsync("/usage");
        await page.Locator("#input").PressAsync("Enter");

        var panel = page.Locator("#usage");
        await Expect(panel).ToBeVisibleAsync();
        await Expect(panel.Locator("dd").First).ToHaveTextAsync("21 tokens in 1 turn");
        await Expect(panel.Locator("dd").Nth(1)).ToContainTextAsync("79 of 100 left, resets ");
        await Expect(panel.Locator("dd").Nth(3)).ToHaveTextAsync("no limit");
        await Expect(page.Locator("#input")).ToHaveValueAsync("");
        Assert.Equal(1, await page.Locator(".msg.user").CountAsync());
        Assert.Single(bed.OpenAI.ResponseRequests);

        await panel.Locator("button", new() { HasText = "Close" }).ClickAsync();
        await Expect(panel).ToBeHiddenAsync();
        await page.Locator("#usage-button").ClickAsync();
        await Expect(panel.Locator("dd").First).ToHaveTextAsync("21 tokens in 1 turn");
    }
}
