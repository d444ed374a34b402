using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Attachments;

/// <summary>Limits for attached files (configuration section <c>Attachments</c>).</summary>
public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    /// <summary>Largest document or data file accepted, in bytes (default 50 MB).</summary>
    [Range(1, 512L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Largest image accepted for vision, in bytes (default 20 MB).</summary>
    [Range(1, 512L * 1024 * 1024)]
    public long MaxImageBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Most files taken from one message; the rest get a warning (default 10).</summary>
    [Range(1, 100)]
    public int MaxFilesPerMessage { get; set; } = 10;
}
