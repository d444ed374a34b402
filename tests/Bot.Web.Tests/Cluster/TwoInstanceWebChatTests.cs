using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Bot.Web.Threads;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Web.Tests.Cluster;

/// <summary>
/// The web chat on two instances (two bot servers in this process) on one store and one shared data folder, with no
/// sticky sessions: a visitor's requests go to either. The PostgreSQL subclass runs the same tests on one database.
/// </summary>
public abstract class TwoInstanceWebChatTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private FakeOpenAIServer _openAI = null!;
    private WebChatHost _a = null!;
    private WebChatHost _b = null!;

    /// <summary>Settings that put both instances on one store; empty: the SQLite file in the shared folder.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        _openAI = await FakeOpenAIServer.StartAsync();
        var store = await StoreSettingsAsync();
        _a = await WebChatHost.StartAsync(_openAI, _directory.Path, Settings(store, "a"));
        _b = await WebChatHost.StartAsync(_openAI, _directory.Path, Settings(store, "b"));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _openAI.DisposeAsync();
        await DisposeStoreAsync();
        _directory.Dispose();
    }

    /// <summary>Removes what <see cref="StoreSettingsAsync"/> made.</summary>
    protected virtual Task DisposeStoreAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_page_on_one_instance_streams_the_answer_of_a_turn_the_other_runs_and_both_read_the_same_transcript()
    {
        var words = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"w{i}"));
        _openAI.Enqueue(
            FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(60)).Text("First: " + words).Completed(),
            FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(60)).Text("Second: " + words).Completed());
        // One visitor, one cookie jar; the first request goes to A, which issues the cookie.
        var cookies = new CookieContainer();
        using var onA = _a.Visitor(cookies);
        using var onB = _b.Visitor(cookies);
        var thread = await onA.ThreadAsync();
        Assert.Equal(thread, await onB.ThreadAsync()); // A's cookie names the same visitor (and thread) on B

        // The first message goes to B; whichever instance takes the conversation (B, unless A's poll was quicker) runs
        // its turns from now on. The page is on the other one.
        await onB.SendOkAsync(thread, "first question");
        var holder = await HolderAsync(thread);
        var other = holder == "a" ? onB : onA;
        using var page = await other.EventsAsync(thread);
        await page.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant && e.Text?.StartsWith("First: w1", StringComparison.Ordinal) == true);

        // The second message goes to the page's instance while the holder still answers the first, with a file: the holder
        // runs its turn too (it looks at the store before it lets the conversation go), and reads the upload.
        await other.SendOkAsync(thread, "second question", ("sales.csv", "text/csv", Encoding.UTF8.GetBytes("month,sales\nJan,3\n")));
        await page.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant && e.Text?.StartsWith("Second: w1", StringComparison.Ordinal) == true);
        Assert.Equal(holder, await HolderAsync(thread));
        // The whole answer and the end of the turns, in either order: the end may be noticed here before the last
        // relayed change of the text arrives.
        await page.WaitForAsync(_ => page.Seen.Any(e => e.Type == "message" && e.Text == "Second: " + words) &&
                                     page.Seen.Any(e => e.Type == "done" && !e.Data.GetProperty("running").GetBoolean()));

        // The upload posted to the page's instance reached OpenAI from the holder's turn (only the holder ran turns).
        Assert.NotEmpty(_openAI.Ledger.CreatedFiles);
        Assert.Equal(2, _openAI.ResponseRequests.Count);

        string[] expected = ["user: first question", "assistant: First: " + words, "user: second question", "assistant: Second: " + words];
        await TestBed.WaitUntilAsync(() => Transcript(onA, thread).Result.SequenceEqual(expected) && Transcript(onB, thread).Result.SequenceEqual(expected),
            "both instances to show the whole transcript, and no turn running");
        Assert.Equal((await onB.HistoryAsync(thread)).Messages.Select(m => m.Id), (await onA.HistoryAsync(thread)).Messages.Select(m => m.Id));
    }

    [Fact]
    public async Task Stop_on_one_instance_stops_the_turn_the_other_runs()
    {
        _openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100))
            .Text(string.Join(' ', Enumerable.Repeat("word", 400))).Completed());
        var cookies = new CookieContainer();
        using var onA = _a.Visitor(cookies);
        using var onB = _b.Visitor(cookies);
        var thread = await onA.ThreadAsync();
        await onB.SendOkAsync(thread, "talk for a long time");
        var other = await HolderAsync(thread) == "a" ? onB : onA;
        using var page = await other.EventsAsync(thread);
        await page.WaitForAsync(e => e.Type == "message" && e.Role == WebMessage.Assistant);

        // Stop on the instance that does not run the turn.
        using var stop = await other.PostAsync($"/api/threads/{thread}/stop");
        stop.EnsureSuccessStatusCode();
        Assert.True((await stop.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stopped").GetBoolean());

        await page.WaitForAsync("done");
        var answer = (await other.HistoryAsync(thread)).Messages.Last(m => m.Role == WebMessage.Assistant);
        Assert.True(answer.Text.Split(' ').Length < 400, "the answer was cut short");
    }

    // The instance that holds the thread's conversation, once one does.
    private async Task<string> HolderAsync(string thread)
    {
        var leases = _a.Services.GetRequiredService<IConversationLeases>();
        var key = new ConversationKey(WebChannel.ChannelName, thread);
        string? holder = null;
        await TestBed.WaitUntilAsync(() => (holder = leases.FindLeaseAsync(key).GetAwaiter().GetResult()?.OwnerInstanceId) is not null,
            "an instance to take the conversation");
        return holder!;
    }

    // The messages as a page shows them; nothing while a turn still shows as running.
    private static async Task<string[]> Transcript(WebChatClient client, string thread)
    {
        var history = await client.HistoryAsync(thread);
        return history.Running ? [] : [.. history.Messages.Select(m => $"{m.Role}: {m.Text}")];
    }

    private static Dictionary<string, string?> Settings(IReadOnlyDictionary<string, string?> store, string instance)
    {
        var settings = new Dictionary<string, string?>(store)
        {
            ["Cluster:InstanceId"] = instance,
            ["Cluster:PollInterval"] = "00:00:00.200",
            ["Web:EventPollInterval"] = "00:00:00.100",
        };
        return settings;
    }
}

/// <summary>Two instances on one SQLite file: events and wake-ups by polling.</summary>
public sealed class SqliteTwoInstanceWebChatTests : TwoInstanceWebChatTests;
