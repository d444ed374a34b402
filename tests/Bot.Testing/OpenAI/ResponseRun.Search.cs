namespace Bot.Testing.OpenAI;

/// <summary>The web search and compaction steps.</summary>
internal sealed partial class ResponseRun
{
    private async Task WebSearchAsync(WebSearchStep step)
    {
        var item = new WebSearchCallItem(FakeIds.WebSearchCall(), step.Query, step.Failed);
        if (await StartItemAsync(item) is not { } index)
            return;
        await ToolEventAsync(EventTypes.WebSearchInProgress, index, item);
        await ToolEventAsync(EventTypes.WebSearchSearching, index, item);
        await SearchPauseAsync();
        if (!step.Failed)
            await ToolEventAsync(EventTypes.WebSearchCompleted, index, item);
        await ItemDoneAsync(index, item);
    }

    private async Task CompactionAsync()
    {
        var item = new CompactionItem(FakeIds.Compaction());
        if (await StartItemAsync(item) is not { } index)
            return;
        await ItemDoneAsync(index, item);
    }
}
