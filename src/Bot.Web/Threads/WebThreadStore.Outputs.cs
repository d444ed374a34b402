namespace Bot.Web.Threads;

internal sealed partial class WebThreadStore
{
    /// <summary>Deletes a generated file of a thread (a partial image that a newer one replaced). Best effort.</summary>
    public static void DeleteOutput(WebThread thread, string fileId)
    {
        if (!IdPattern().IsMatch(fileId))
            return;
        try
        {
            File.Delete(Path.Combine(thread.FilesDirectory, fileId));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file left behind goes with the thread's folder.
        }
    }
}
