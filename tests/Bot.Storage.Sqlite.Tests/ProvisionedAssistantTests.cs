using Bot.Core.Storage;

namespace Bot.Storage.Sqlite.Tests;

public sealed class ProvisionedAssistantTests : StoreTestBase
{
    [Fact]
    public async Task A_saved_assistant_is_found_by_its_backend_across_a_restart_and_a_new_save_replaces_it()
    {
        var store = await Db.OpenStoreAsync();
        Assert.Null(await store.FindProvisionedAssistantAsync("Assistants"));

        await store.SaveProvisionedAssistantAsync(new("Assistants", "asst_1", "hash-1"));
        await store.SaveProvisionedAssistantAsync(new("Assistants", "asst_1", "hash-2"));
        await store.SaveProvisionedAssistantAsync(new("Other", "asst_9", "hash-9"));
        await store.DisposeAsync();
        var reopened = await Db.OpenStoreAsync();

        Assert.Equal(new ProvisionedAssistant("Assistants", "asst_1", "hash-2"), await reopened.FindProvisionedAssistantAsync("Assistants"));
        Assert.Equal(new ProvisionedAssistant("Other", "asst_9", "hash-9"), await reopened.FindProvisionedAssistantAsync("Other"));
        Assert.Equal(2, Db.Scalar<long>("SELECT count(*) FROM provisioned_assistants;"));
    }

    [Fact]
    public async Task ForgetProvisionedAssistantAsync_forgets_only_the_assistant_it_names()
    {
        var store = await Db.OpenStoreAsync();
        await store.SaveProvisionedAssistantAsync(new("Assistants", "asst_2", "hash"));

        // An older assistant's 404 arriving after a newer one was saved leaves the newer one alone.
        await store.ForgetProvisionedAssistantAsync("Assistants", "asst_1");
        Assert.Equal("asst_2", (await store.FindProvisionedAssistantAsync("Assistants"))?.AssistantId);

        await store.ForgetProvisionedAssistantAsync("Assistants", "asst_2");
        Assert.Null(await store.FindProvisionedAssistantAsync("Assistants"));
    }
}
