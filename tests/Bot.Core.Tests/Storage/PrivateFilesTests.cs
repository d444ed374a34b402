using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

public sealed class PrivateFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "bot-private-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void CreateFolder_GivesEveryFolderItCreates_TheOwnerOnlyMode_AndLeavesExistingOnesAlone()
    {
        if (OperatingSystem.IsWindows())
            return;
        Directory.CreateDirectory(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var deepest = Path.Combine(_root, "data", "web", "threads");

        PrivateFiles.CreateFolder(deepest);

        Assert.Equal(PrivateFiles.OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(_root, "data")));
        Assert.Equal(PrivateFiles.OwnerOnlyFolder, File.GetUnixFileMode(Path.Combine(_root, "data", "web")));
        Assert.Equal(PrivateFiles.OwnerOnlyFolder, File.GetUnixFileMode(deepest));
        Assert.True(File.GetUnixFileMode(_root).HasFlag(UnixFileMode.OtherRead), "an existing folder keeps its mode");
    }

    [Fact]
    public async Task CreateOptions_MakeAFileOnlyTheOwnerCanRead()
    {
        if (OperatingSystem.IsWindows())
            return;
        PrivateFiles.CreateFolder(_root);
        var path = Path.Combine(_root, "secret.txt");
        await using (var stream = new FileStream(path, PrivateFiles.CreateOptions()))
            await stream.WriteAsync("x"u8.ToArray());

        Assert.Equal(PrivateFiles.OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }
}
