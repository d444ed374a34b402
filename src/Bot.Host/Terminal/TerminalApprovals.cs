using System.Threading.Channels;
using Bot.Core.Tools.Approvals;

namespace Bot.Host.Terminal;

/// <summary>
/// Approval questions a terminal reply printed and the chat has still to read an answer for: the reply writer adds them,
/// the chat (which owns the input) takes them one at a time and reads y or n from the next line.
/// </summary>
internal sealed class TerminalApprovals
{
    private readonly Channel<ApprovalPrompt> _asked = Channel.CreateUnbounded<ApprovalPrompt>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The yes and no a line may say (case-insensitive).</summary>
    public static bool? Parse(string? line) => line?.Trim().ToLowerInvariant() switch
    {
        "y" or "yes" => true,
        "n" or "no" => false,
        _ => null,
    };

    public void Add(ApprovalPrompt prompt) => _asked.Writer.TryWrite(prompt);

    /// <summary>The next question to answer; cancelling leaves it for the next call.</summary>
    public ValueTask<ApprovalPrompt> NextAsync(CancellationToken cancellationToken) => _asked.Reader.ReadAsync(cancellationToken);
}
