using Bot.Testing.OpenAI;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Bot.Web.Tests.Browser;

/// <summary>An approval question on the page: shown as text (never markup), answered by its button, then settled.</summary>
public sealed partial class BrowserChatTests
{
    [Fact]
    public async Task AnApprovalQuestion_ShowsItsArgumentsAsText_AndApproveContinuesTheAnswer()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?>
        {
            ["OpenAI:Mcp:Servers:0:Label"] = "github",
            ["OpenAI:Mcp:Servers:0:Url"] = "https://mcp.example/github",
        });
        const string arguments = "{\"title\":\"<img src=x onerror=\\\"window.__pwned = 1\\\">\"}";
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("I will file it.").McpCall("github", "create_issue", arguments, "Created #12").Text("Filed as #12."));
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });

        await page.Locator("#input").FillAsync("file a bug");
        await page.Locator("#input").PressAsync("Enter");

        var question = page.Locator(".approval");
        await Expect(question.Locator(".heading")).ToHaveTextAsync("Allow github to run create_issue?");
        await Expect(question.Locator("pre")).ToHaveTextAsync(arguments);
        Assert.Equal(0, await question.Locator("img").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("web-chat-approval.png") });
        await question.Locator("button", new() { HasText = "Approve" }).ClickAsync();

        await Expect(question.Locator(".note")).ToHaveTextAsync("Approved.");
        await Expect(question.Locator("button")).ToHaveCountAsync(0);
        await Expect(page.Locator(".msg.assistant").Last).ToContainTextAsync("Filed as #12.");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
    }
}
