using System.Text;
using System.Text.RegularExpressions;
using Bot.Core.Backends;

namespace Bot.OpenAI;

/// <summary>
/// What both backends do to the model's output before the core sees it: OpenAI's incomplete reasons become the core's
/// <see cref="IncompleteReason"/>, and links into the code interpreter's sandbox (<c>[chart](sandbox:/mnt/data/chart.png)</c>),
/// which no user can open, keep only their label: the file itself is attached to the reply.
/// </summary>
internal static partial class OutputText
{
    /// <summary>The core's reason for OpenAI's <c>incomplete_details.reason</c> (Responses or Assistants).</summary>
    public static IncompleteReason ReasonOf(string? reason) => reason switch
    {
        "max_output_tokens" or "max_tokens" or "max_completion_tokens" or "max_prompt_tokens" => IncompleteReason.LengthLimit,
        "content_filter" => IncompleteReason.ContentFilter,
        _ => IncompleteReason.Other,
    };

    /// <summary>The text with every sandbox link replaced by "label (attached)", and how positions move.</summary>
    public static SandboxRewrite WithoutSandboxLinks(string text)
    {
        if (!text.Contains("sandbox:", StringComparison.Ordinal))
            return new SandboxRewrite(text, []);
        var rewritten = new StringBuilder(text.Length);
        var links = new List<RewrittenLink>();
        var position = 0;
        foreach (Match match in SandboxLink().Matches(text))
        {
            rewritten.Append(text, position, match.Index - position);
            var start = rewritten.Length;
            rewritten.Append(match.Groups[1].ValueSpan).Append(" (attached)");
            links.Add(new RewrittenLink(match.Index, match.Length, start, rewritten.Length - start));
            position = match.Index + match.Length;
        }

        rewritten.Append(text, position, text.Length - position);
        return new SandboxRewrite(rewritten.ToString(), links);
    }

    // [label](sandbox:/mnt/data/file.png)
    [GeneratedRegex(@"\[([^\]\n]+)\]\(sandbox:[^)\s]*\)")]
    private static partial Regex SandboxLink();
}

/// <summary>A text without its sandbox links, and the links' places before and after.</summary>
internal sealed record SandboxRewrite(string Text, IReadOnlyList<RewrittenLink> Links)
{
    /// <summary>Where a position of the original text is in the rewritten one (a position inside a link goes to its end).</summary>
    public int Map(int index)
    {
        var shift = 0;
        foreach (var link in Links)
        {
            if (index <= link.Start)
                break;
            if (index < link.Start + link.Length)
                return link.NewStart + link.NewLength;
            shift = link.NewStart + link.NewLength - (link.Start + link.Length);
        }

        return index + shift;
    }
}

/// <summary>One rewritten link: its start and length in the original text and in the rewritten one.</summary>
internal readonly record struct RewrittenLink(int Start, int Length, int NewStart, int NewLength);
