namespace Bot.Core.Backends;

/// <summary>
/// A partial image of an image still being drawn (image generation streams a few of them before the final one).
/// <paramref name="CallId"/> names the drawing, <paramref name="Index"/> counts its partial images from 0. The final
/// image comes as an <see cref="OutputFileReady"/> whose remote id is the same call id.
/// </summary>
public sealed record PartialImageReady(string CallId, int Index, OutputFile Image) : AssistantEvent;
