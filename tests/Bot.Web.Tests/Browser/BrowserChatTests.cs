using System.Text;
using Bot.Testing.OpenAI;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Bot.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed partial class BrowserChatTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IBrowserContext> _contexts = [];

    private const string FirstAnswer = """
        Here is what a **CSV** summary looks like:

        - totals per month
        - the best month, with a [link](https://example.com/report)

        | month | sales |
        |-------|------:|
        | Jan   |     3 |
        | Feb   |     5 |

        ```python
        df.groupby("month").sales.sum()
        ```
        """;

    [Fact]
    public async Task Chat_StreamsAnAnswer_TakesACsv_ShowsTheImage_Stops_AndStartsANewConversation()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(
            FakeResponse.Stream().Text("Let me think about that.").Delay(TimeSpan.FromSeconds(2)).Text(FirstAnswer).Completed(),
            FakeResponse.Stream().CodeInterpreterFile("chart.png", TestImages.Chart()).Text("Here is the chart of your sales.").Completed(),
            FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(250)).Text(string.Join(' ', Enumerable.Repeat("more", 400))).Completed());
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 1100 });
        var assistant = page.Locator(".msg.assistant");

        // Type a question; the answer streams in (its first part shows while the rest is still coming).
        await page.Locator("#input").FillAsync("How do I summarise a CSV?");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("How do I summarise a CSV?");
        await Expect(assistant.Last).ToContainTextAsync("Let me think about that.");
        await Expect(page.Locator("#stop")).ToBeVisibleAsync();
        Assert.DoesNotContain("totals per month", await assistant.Last.InnerTextAsync(), StringComparison.Ordinal);
        await Expect(assistant.Last.Locator("table td").Last).ToHaveTextAsync("5");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(assistant.Last.Locator("li")).ToHaveCountAsync(2);
        await Expect(assistant.Last.Locator("pre code")).ToHaveTextAsync("df.groupby(\"month\").sales.sum()");
        await Expect(assistant.Last.Locator("a[href='https://example.com/report']")).ToHaveTextAsync("link");

        // Attach a CSV; the generated image is shown inline, served by the bot.
        await page.Locator("#file-input").SetInputFilesAsync(new FilePayload
        {
            Name = "sales.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("month,sales\nJan,3\nFeb,5\n"),
        });
        await Expect(page.Locator("#files li")).ToContainTextAsync("sales.csv");
        await page.Locator("#input").FillAsync("Plot the sales");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".msg.user").Last).ToContainTextAsync("sales.csv");
        var image = page.Locator(".msg.assistant img.output");
        await Expect(image).ToBeVisibleAsync();
        await Expect(assistant.Last).ToContainTextAsync("Here is the chart of your sales.");
        Assert.StartsWith("/api/threads/", new Uri(await image.EvaluateAsync<string>("i => i.src")).AbsolutePath, StringComparison.Ordinal);
        await page.WaitForFunctionAsync("() => document.querySelector('img.output').complete && document.querySelector('img.output').naturalWidth === 360");
        Assert.Single(bed.OpenAI.ResponseRequests[1].CodeInterpreterFileIds);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("web-chat.png") });

        // Stop a long answer.
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await page.Locator("#input").FillAsync("Now talk for a long time");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(assistant.Last).ToContainTextAsync("more more");
        await page.Locator("#stop").ClickAsync();
        await Expect(assistant.Last).ToContainTextAsync("Stopped.");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("web-chat-stopped.png") });

        // New conversation: an empty thread with a new id.
        var oldThread = await page.Locator("#thread").InnerTextAsync();
        await page.Locator("#new").ClickAsync();
        await Expect(page.Locator("#thread")).Not.ToHaveTextAsync(oldThread);
        await Expect(page.Locator(".msg")).ToHaveCountAsync(0);
        await Expect(page.Locator(".empty")).ToBeVisibleAsync();
        Assert.Equal(bed.OpenAI.Ledger.CreatedConversations, bed.OpenAI.Ledger.DeletedConversations);
    }

    [Fact]
    public async Task TooManyTabs_TheOldestStopsFollowing_AndSaysWhy_TheNewestWorks()
    {
        await using var bed = await TestBed.StartAsync();
        var first = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });
        var tabs = new List<IPage>();
        for (var i = 0; i < 4; i++)
        {
            var tab = await first.Context.NewPageAsync();
            await tab.GotoAsync("/");
            await Expect(tab.Locator("#thread")).Not.ToBeEmptyAsync();
            tabs.Add(tab);
        }

        await Expect(first.Locator("#error")).ToContainTextAsync("open in too many tabs");
        await tabs[^1].Locator("#input").FillAsync("From the newest tab");
        await tabs[^1].Locator("#input").PressAsync("Enter");
        await Expect(tabs[^1].Locator(".msg.assistant")).ToHaveTextAsync("You said: From the newest tab");
        await Expect(tabs[0].Locator(".msg.assistant")).ToHaveTextAsync("You said: From the newest tab");
        Assert.Equal(0, await first.Locator(".msg").CountAsync());
    }

    [Fact]
    public async Task OnAPhone_ByKeyboard_ADroppedFileIsListed_AndAReloadShowsTheHistory()
    {
        await using var bed = await TestBed.StartAsync();
        var page = await OpenAsync(bed, new ViewportSize { Width = 390, Height = 844 });

        await page.Locator("#input").FocusAsync();
        await page.Keyboard.TypeAsync("Hello from a phone");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".msg.assistant")).ToHaveTextAsync("You said: Hello from a phone");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        var send = await page.Locator("#send").BoundingBoxAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("web-chat-phone.png") });
        Assert.True(send is not null && send.X + send.Width <= 390, $"The Send button is off screen: {send?.X} + {send?.Width}.");

        // Drag and drop a file onto the page.
        await page.EvaluateAsync("""
            () => {
              const data = new DataTransfer();
              data.items.add(new File(["a,b\n1,2\n"], "dropped.csv", { type: "text/csv" }));
              document.dispatchEvent(new DragEvent("dragenter", { dataTransfer: data, bubbles: true, cancelable: true }));
              document.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
            }
            """);
        await Expect(page.Locator("#files li")).ToContainTextAsync("dropped.csv");
        await Expect(page.Locator("#drop")).ToBeHiddenAsync();

        // Keyboard only: Tab reaches the buttons, and the remove button takes the file off.
        await page.Locator("#files li button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#files li")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await Expect(page.Locator(".msg")).ToHaveCountAsync(2);
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("Hello from a phone");
        await Expect(page.Locator("#thread")).Not.ToBeEmptyAsync();
    }

    [Fact]
    public async Task AfterARestartOfTheBot_TheReloadedPageShowsTheConversation_AndItGoesOn()
    {
        await using var bed = await TestBed.StartAsync();
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });
        await page.Locator("#input").FillAsync("Before the restart");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.assistant")).ToHaveTextAsync("You said: Before the restart");
        var thread = await page.Locator("#thread").InnerTextAsync();

        await bed.RestartAsync();
        await page.GotoAsync(bed.Host.BaseUri.ToString());

        await Expect(page.Locator("#thread")).ToHaveTextAsync(thread);
        await Expect(page.Locator(".msg")).ToHaveCountAsync(2);
        await Expect(page.Locator(".msg.user")).ToHaveTextAsync("Before the restart");
        await page.Locator("#input").FillAsync("After the restart");
        await page.Locator("#input").PressAsync("Enter");
        await Expect(page.Locator(".msg.assistant").Last).ToHaveTextAsync("You said: After the restart");
        Assert.Equal(bed.OpenAI.ResponseRequests[0].ConversationId, bed.OpenAI.ResponseRequests[1].ConversationId);
    }

    [Fact]
    public async Task AnErrorFromTheApi_IsShownOnTheErrorLine_AndTheTypedTextStays()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Attachments:MaxFileBytes"] = "1024" });
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 700 });

        await page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = "big.csv", MimeType = "text/csv", Buffer = new byte[8192] });
        await page.Locator("#input").FillAsync("Analyse this");
        await page.Locator("#input").PressAsync("Enter");

        await Expect(page.Locator("#error")).ToHaveTextAsync("big.csv is larger than the 1 KB limit for this kind of file, so nothing was sent.");
        await Expect(page.Locator("#input")).ToHaveValueAsync("Analyse this");
        await Expect(page.Locator("#files li")).ToContainTextAsync("big.csv");
        Assert.Equal(0, await page.Locator(".msg").CountAsync());
    }

    [Fact]
    public async Task CitedSources_AreListedUnderTheAnswer_AndTheModelsOwnListStaysText()
    {
        await using var bed = await TestBed.StartAsync();
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("You get 25 days.", FakeCitation.File("file-abc", "policy.pdf", 16)).Completed());
        var page = await OpenAsync(bed, new ViewportSize { Width = 1000, Height = 800 });
        var assistant = page.Locator(".msg.assistant");

        await page.Locator("#input").FillAsync("How many holidays?");
        await page.Locator("#input").PressAsync("Enter");

        await Expect(assistant.Last.Locator("ol.sources li")).ToHaveTextAsync("policy.pdf");
        Assert.StartsWith("You get 25 days.[1]", await assistant.Last.InnerTextAsync(), StringComparison.Ordinal);
    }

    private async Task<IPage> OpenAsync(TestBed bed, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, BaseURL = bed.Host.BaseUri.ToString() });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.Console += (_, message) => Note($"console {message.Type}: {message.Text}");
        page.PageError += (_, error) => Note($"page error: {error}");
        await page.GotoAsync("/");
        await Expect(page.Locator("#thread")).Not.ToBeEmptyAsync();
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
            await context.CloseAsync();
    }

    private void Note(string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test already ended.
        }
    }

    // Screenshots go to the test project's TestResults folder, next to the TRX file.
    private string Artifact(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Bot.Web.Tests.csproj")))
            directory = directory.Parent;
        var folder = Path.Combine(directory?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        output.WriteLine($"Screenshot: {path}");
        return path;
    }
}
