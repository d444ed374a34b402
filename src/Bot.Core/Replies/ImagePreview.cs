namespace Bot.Core.Replies;

/// <summary>The latest partial image of an image being drawn, as a reply snapshot carries it.</summary>
/// <param name="CallId">The drawing it belongs to (the final image's remote id).</param>
/// <param name="Index">Which partial image of that drawing, from 0.</param>
/// <param name="Image">The image itself.</param>
public sealed record ImagePreview(string CallId, int Index, OutputFile Image);
