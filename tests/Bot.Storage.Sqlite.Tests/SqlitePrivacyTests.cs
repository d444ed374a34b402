namespace Bot.Storage.Sqlite.Tests;

/// <summary>The database file is the owner's alone (not part of the shared store suite).</summary>
public sealed class SqlitePrivacyTests : StoreTestBase
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task InitializeAsync_creates_the_folder_the_database_and_its_wal_and_shm_files_for_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
            return; // a new file there takes its folder's access list
        var store = await Db.OpenStoreAsync();
        await store.FollowPlaceAsync("discord", "t1");

        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(Db.DatabasePath)!));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Db.DatabasePath));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Db.DatabasePath + "-wal"));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Db.DatabasePath + "-shm"));
    }

    [Fact]
    public async Task An_existing_database_file_is_opened_as_it_is()
    {
        if (OperatingSystem.IsWindows())
            return;
        await (await Db.OpenStoreAsync()).DisposeAsync();
        const UnixFileMode groupReadable = OwnerOnlyFile | UnixFileMode.GroupRead;
        File.SetUnixFileMode(Db.DatabasePath, groupReadable);

        var reopened = await Db.OpenStoreAsync();

        Assert.True(await FollowAndAskAsync(reopened));
        Assert.Equal(groupReadable, File.GetUnixFileMode(Db.DatabasePath));
        Assert.Contains(Db.Logger.Entries, e => e.EventId.Id == 3002 && e.Message.Contains(Db.DatabasePath, StringComparison.Ordinal));
    }

    private static async Task<bool> FollowAndAskAsync(SqliteConversationStore store)
    {
        await store.FollowPlaceAsync("discord", "t1");
        return await store.IsPlaceFollowedAsync("discord", "t1");
    }
}
