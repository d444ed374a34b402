using System.ComponentModel.DataAnnotations;

namespace Bot.Web;

/// <summary>The web chat channel (configuration section <c>Web</c>).</summary>
public sealed class WebChatOptions : IValidatableObject
{
    public const string SectionName = "Web";

    /// <summary>Serves the chat page and its API. Off by default.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Keys the operator hands out. Without keys the chat answers only loopback requests; with keys every
    /// other address (and loopback too when <see cref="RequireAccessKey"/> is set) must present one.
    /// </summary>
    public string[] AccessKeys { get; set; } = [];

    /// <summary>Asks for a key from loopback too (behind a reverse proxy on the same machine every request looks local).</summary>
    public bool RequireAccessKey { get; set; }

    /// <summary>Where transcripts, uploads and generated files are kept.</summary>
    [Required]
    public string DataPath { get; set; } = "data/web";

    /// <summary>Title shown on the page.</summary>
    [StringLength(80, MinimumLength = 1)]
    public string Title { get; set; } = "Assistant";

    /// <summary>Shortest time between two updates of a streaming answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest generated file kept for download, in bytes (default 50 MB).</summary>
    [Range(1, 1024L * 1024 * 1024)]
    public long MaxOutputFileBytes { get; set; } = 50L * 1024 * 1024;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var key in AccessKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length < 12)
                yield return new ValidationResult("every access key must be at least 12 characters long", [nameof(AccessKeys)]);
        }

        if (RequireAccessKey && AccessKeys.Length == 0)
            yield return new ValidationResult("is true, but Web:AccessKeys is empty, so nobody could use the chat", [nameof(RequireAccessKey)]);
    }
}
