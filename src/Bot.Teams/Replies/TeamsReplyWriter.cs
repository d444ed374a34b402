using Bot.Core.Replies;
using Bot.Teams.Adapter;
using Bot.Teams.Connector;

namespace Bot.Teams.Replies;

/// <summary>
/// A reply in a group chat or channel (and in a personal chat without streaming): the first text is sent, then the
/// message is updated (PUT) at the paced cadence; generated images go inline, other files as a note. Approval questions
/// are cards of their own (TeamsReplyWriter.Approvals.cs).
/// </summary>
internal sealed partial class TeamsReplyWriter(ConnectorClient connector, ReplyAddress address, TeamsOptions options) : IReplyWriter
{
    public ChannelLimits Limits { get; } = new(options.MaxMessageCharacters, options.EditInterval, options.MaxInlineImageBytes);

    public IReplyPresenter Presenter => TeamsPresenter.Plain;

    public Task StartTypingAsync(CancellationToken cancellationToken = default) =>
        connector.SendAsync(address.ServiceUrl, address.ConversationId, OutgoingActivities.Typing(address), cancellationToken);

    public async Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default) =>
        PostResult.Posted(await PostAsync(message.Text, cancellationToken).ConfigureAwait(false));

    public Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default) =>
        connector.UpdateAsync(address.ServiceUrl, address.ConversationId, messageId, OutgoingActivities.Message(address, message.Text), cancellationToken);

    /// <summary>Sends a message and returns its activity id.</summary>
    public async Task<string> PostAsync(string text, CancellationToken cancellationToken = default) =>
        await connector.SendAsync(address.ServiceUrl, address.ConversationId, OutgoingActivities.Message(address, text), cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException("The Connector answered without an activity id.");

    public async Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        var (messages, notes) = FileMessages(address, files);
        foreach (var message in messages)
            await connector.SendAsync(address.ServiceUrl, address.ConversationId, message, cancellationToken).ConfigureAwait(false);
        if (notes is not null)
            await PostAsync(notes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One message per image (an inline attachment; one keeps each request under Teams' body limit), and a note naming the files Teams cannot take from a bot
    /// (sending files needs the OneDrive consent flow, which this bot does not use).
    /// </summary>
    internal static (IReadOnlyList<JsonObject> Images, string? Notes) FileMessages(ReplyAddress address, IEnumerable<OutputFile> files)
    {
        var messages = new List<JsonObject>();
        foreach (var image in files.Where(OutgoingActivities.IsInlineImage))
        {
            var message = OutgoingActivities.Message(address, "");
            message.Remove("text");
            message["attachments"] = new JsonArray(OutgoingActivities.InlineImage(image));
            messages.Add(message);
        }

        var others = files.Where(f => !OutgoingActivities.IsInlineImage(f)).Select(f => f.FileName).ToList();
        var notes = others.Count == 0 ? null
            : $"📎 The assistant also made {string.Join(", ", others)}, but Teams bots can only send images in a message, so it is not attached.";
        return (messages, notes);
    }
}
