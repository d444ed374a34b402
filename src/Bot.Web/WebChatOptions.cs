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

    /// <summary>
    /// Where uploads and generated files are kept (transcripts live in the store). Instances that share one store share
    /// this folder too (a shared volume).
    /// </summary>
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

    /// <summary>
    /// Host names the page may be reached by, besides localhost, 127.0.0.1, [::1], any IP address and the hosts of the
    /// server's configured URLs. A request for another name is refused: it is how a page on another site that resolves
    /// its name to this machine (DNS rebinding) would arrive. <c>*.example.com</c> allows subdomains; <c>*</c> turns the check off.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Largest request body of one message, text and files together, in bytes (default 100 MB).</summary>
    [Range(16L * 1024, 16L * 1024 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Wrong access keys one address may try within <see cref="FailedKeyWindow"/> before it must wait (default 5).</summary>
    [Range(1, 1000)]
    public int MaxFailedKeyAttempts { get; set; } = 5;

    /// <summary>The window in which wrong keys are counted, and how long an address then waits (default one minute).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailedKeyWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Event streams one visitor may keep open at once (tabs); a new one closes the oldest (default 4).</summary>
    [Range(1, 100)]
    public int MaxStreamsPerVisitor { get; set; } = 4;

    /// <summary>
    /// How often the pages' events that other instances on the same store showed are looked for (a PostgreSQL store also
    /// notifies at once; this poll is the fallback, and the only way on SQLite).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:00:10")]
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var key in AccessKeys)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Trim().Length < 12)
                yield return new ValidationResult("every access key must be at least 12 characters long", [nameof(AccessKeys)]);
        }

        foreach (var host in AllowedHosts)
        {
            if (Access.HostGuard.Normalize(host) is null)
            {
                yield return new ValidationResult(
                    $"'{host}' is not a host name: write it without scheme or path, e.g. chat.example.com, *.example.com or *", [nameof(AllowedHosts)]);
            }
        }

        if (RequireAccessKey && AccessKeys.Length == 0)
            yield return new ValidationResult("is true, but Web:AccessKeys is empty, so nobody could use the chat", [nameof(RequireAccessKey)]);
    }
}
