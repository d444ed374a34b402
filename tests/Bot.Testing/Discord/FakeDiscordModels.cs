using System.Text.Json.Nodes;

namespace Bot.Testing.Discord;

/// <summary>One REST request the fake received and how it answered.</summary>
/// <param name="Route">"METHOD template", e.g. "PATCH /channels/:id/messages/:id".</param>
/// <param name="Body">The JSON body (or multipart payload_json), if any.</param>
/// <param name="Files">File names of multipart files[n] parts.</param>
public sealed record FakeRestRequest(string Method, string Path, string Route, JsonNode? Body, IReadOnlyList<string> Files,
    DateTimeOffset At, int Status, string? Authorization, string? UserAgent);

/// <summary>A file attached to a message in the fake.</summary>
public sealed record FakeAttachment(string FileName, string? ContentType, long Size);

/// <summary>A version of a message's text as users saw it, and when.</summary>
public sealed record FakeRevision(string Content, DateTimeOffset At);

/// <summary>A message the bot posted through the fake (what users would see).</summary>
public sealed class FakeMessage(string id, string channelId, string? replyTo, DateTimeOffset at)
{
    private readonly Lock _lock = new();
    private readonly List<FakeRevision> _revisions = [];
    private readonly List<FakeAttachment> _attachments = [];

    public string Id { get; } = id;

    public string ChannelId { get; } = channelId;

    /// <summary>The message it replies to (message_reference), if any.</summary>
    public string? ReplyTo { get; } = replyTo;

    public DateTimeOffset CreatedAt { get; } = at;

    /// <summary>True for an ephemeral interaction response (only the invoker sees it).</summary>
    public bool Ephemeral { get; init; }

    /// <summary>The allowed_mentions the bot sent with the latest write.</summary>
    public JsonNode? AllowedMentions { get; set; }

    /// <summary>The message's flags now (as created, then as edits changed them).</summary>
    public int Flags { get; internal set; }

    /// <summary>True when the message carries SUPPRESS_EMBEDS: Discord shows (and fetches) no link previews for it.</summary>
    public bool SuppressesEmbeds => (Flags & 4) != 0;

    /// <summary>The message's components (e.g. the Stop button) now.</summary>
    public JsonArray Components { get; set; } = [];

    public string Content
    {
        get
        {
            lock (_lock)
                return _revisions.Count == 0 ? "" : _revisions[^1].Content;
        }
    }

    /// <summary>Every text the message showed, in order.</summary>
    public IReadOnlyList<FakeRevision> Revisions
    {
        get
        {
            lock (_lock)
                return [.. _revisions];
        }
    }

    public IReadOnlyList<FakeAttachment> Attachments
    {
        get
        {
            lock (_lock)
                return [.. _attachments];
        }
    }

    /// <summary>True while a button labelled Stop is on it.</summary>
    public bool HasStopButton => Components.ToJsonString().Contains("\"Stop\"", StringComparison.Ordinal);

    internal void SetContent(string content, DateTimeOffset at)
    {
        lock (_lock)
            _revisions.Add(new FakeRevision(content, at));
    }

    internal void AddAttachments(IEnumerable<FakeAttachment> files)
    {
        lock (_lock)
            _attachments.AddRange(files);
    }
}
