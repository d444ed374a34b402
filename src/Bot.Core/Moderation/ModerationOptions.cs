using System.ComponentModel.DataAnnotations;

namespace Bot.Core.Moderation;

/// <summary>Moderation of users' input before a turn (section <c>Moderation</c>).</summary>
public sealed class ModerationOptions : IValidatableObject
{
    public const string SectionName = "Moderation";

    /// <summary>When true, every turn's text is checked by the moderation endpoint before anything else is sent.</summary>
    public bool Enabled { get; set; }

    /// <summary>The moderation model.</summary>
    public string Model { get; set; } = "omni-moderation-latest";

    /// <summary>
    /// What happens when the check itself fails (endpoint down, 5xx, timeout): false (default) lets the turn go on and
    /// logs a warning; true refuses the turn with a sentence asking the user to try again later.
    /// </summary>
    public bool FailClosed { get; set; }

    /// <summary>A Discord channel id that gets a short notice (who, where, categories; never the text) for flagged input.</summary>
    public string? AlertChannelId { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(Model))
            yield return new ValidationResult("must name a moderation model when Moderation:Enabled is true", [nameof(Model)]);
        if (!string.IsNullOrEmpty(AlertChannelId) && !(AlertChannelId.Length <= 20 && AlertChannelId.All(char.IsAsciiDigit)))
            yield return new ValidationResult("must be a Discord channel id (digits only)", [nameof(AlertChannelId)]);
    }
}
