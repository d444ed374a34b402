namespace Bot.Core.Storage;

/// <summary>
/// Folders and files the bot keeps its data in (the database, transcripts, uploads, generated files) are the
/// owner's alone: folders are created 0700 and files 0600 on Unix, whatever the process's umask. On Windows the
/// new item inherits its parent's access list, as usual there.
/// </summary>
public static class PrivateFiles
{
    /// <summary>Owner read, write and search (0700).</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Owner read and write (0600).</summary>
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates a folder and every missing folder above it, each readable by the owner only (Directory.CreateDirectory
    /// would give the mode to the last one alone). Existing folders are left as they are.
    /// </summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows() || Directory.Exists(full))
            return Directory.CreateDirectory(full);
        if (Path.GetDirectoryName(full) is { } parent)
            CreateFolder(parent);
        return Directory.CreateDirectory(full, OwnerOnlyFolder);
    }

    /// <summary>Options for a <see cref="FileStream"/> that creates its file readable by the owner only.</summary>
    public static FileStreamOptions CreateOptions(FileMode mode = FileMode.CreateNew, FileAccess access = FileAccess.Write,
        int bufferSize = 81920)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = access,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }
}
