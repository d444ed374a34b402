namespace Bot.Host.Terminal;

/// <summary>The terminal chat (configuration section <c>Terminal</c>).</summary>
public sealed class TerminalOptions
{
    public const string SectionName = "Terminal";

    /// <summary>The terminal's one conversation; it lasts across runs until /reset.</summary>
    public string ConversationId { get; set; } = "local";

    /// <summary>Where generated files are saved.</summary>
    public string OutputDirectory { get; set; } = "data/output";
}
