using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class PlaceSettingsStoreTests : StoreTestBase
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_path_reads_the_settings_of_each_of_its_places_and_a_clear_removes_one_but_keeps_it_in_the_history()
    {
        var store = await Db.OpenStoreAsync();
        await store.ChangePlaceSettingAsync(new PlaceSettingChange("discord:1", "Model", "gpt-a", "discord:9", At));
        await store.ChangePlaceSettingAsync(new PlaceSettingChange("discord:2", "Model", "gpt-b", "discord:9", At.AddMinutes(1)));
        await store.ChangePlaceSettingAsync(new PlaceSettingChange("discord:2", "Model", "gpt-c", "discord:8", At.AddMinutes(2)));
        await store.ChangePlaceSettingAsync(new PlaceSettingChange("discord:3", "ReplyMode", "All", "discord:9", At));
        await store.ChangePlaceSettingAsync(new PlaceSettingChange("discord:3", "ReplyMode", null, "discord:7", At.AddMinutes(3)));

        var settings = await store.GetPlaceSettingsAsync(["discord:1", "discord:2", "discord:3"]);

        Assert.Equal(
            [new StoredPlaceSetting("discord:1", "Model", "gpt-a", "discord:9", At), new StoredPlaceSetting("discord:2", "Model", "gpt-c", "discord:8", At.AddMinutes(2))],
            settings.OrderBy(s => s.PlaceId));
        Assert.Empty(await store.GetPlaceSettingsAsync(["discord:4"]));
        Assert.Equal(
            [new PlaceSettingChange("discord:3", "ReplyMode", null, "discord:7", At.AddMinutes(3)), new PlaceSettingChange("discord:3", "ReplyMode", "All", "discord:9", At)],
            await store.GetPlaceSettingHistoryAsync("discord:3", 10));
        Assert.Single(await store.GetPlaceSettingHistoryAsync("discord:2", 1));
    }
}
