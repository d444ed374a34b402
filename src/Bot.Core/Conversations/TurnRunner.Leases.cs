using Bot.Core.Replies;
using Bot.Core.Storage;

namespace Bot.Core.Conversations;

internal sealed partial class TurnRunner
{
    // The lease may be another instance's by now: nothing more is written as the holder, to the channel or the store. The
    // turn's rows stay Processing, so that whoever holds the lease next closes the turn and tells the user, once.
    private static async Task<TurnStatus> AbandonAsync(ProgressiveReply? reply, TurnProgress turn)
    {
        if (reply is not null)
            await reply.DisposeAsync().ConfigureAwait(false);
        return turn.Status;
    }
}
