using System.Collections.Concurrent;

namespace Bot.Testing.OpenAI;

/// <summary>One POST /moderations as the fake received it: the model (null when left to the default) and the texts.</summary>
public sealed record FakeModerationRequest(string? Model, IReadOnlyList<string> Texts, int ImageCount);

/// <summary>
/// The fake's moderation model: a text containing <see cref="FlagMarker"/> is flagged with <see cref="FlaggedCategories"/>,
/// anything else is clean. Fail it with <see cref="FakeOpenAIServer.FailNext"/>("POST", "/moderations", 500, …).
/// </summary>
public sealed class FakeModeration
{
    /// <summary>Every category of the spec's CreateModerationResponse, in its order.</summary>
    public static readonly IReadOnlyList<string> AllCategories =
    [
        "hate", "hate/threatening", "harassment", "harassment/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    private readonly ConcurrentQueue<FakeModerationRequest> _requests = new();

    /// <summary>The text that gets an input flagged (ordinal, anywhere in it).</summary>
    public string FlagMarker { get; set; } = "[flag-me]";

    /// <summary>The categories a flagged input is flagged for.</summary>
    public IReadOnlyList<string> FlaggedCategories { get; set; } = ["harassment", "harassment/threatening"];

    /// <summary>Requests that were answered, in arrival order.</summary>
    public IReadOnlyList<FakeModerationRequest> Requests => [.. _requests];

    internal void Record(FakeModerationRequest request) => _requests.Enqueue(request);

    internal bool IsFlagged(string text) => text.Contains(FlagMarker, StringComparison.Ordinal);
}
