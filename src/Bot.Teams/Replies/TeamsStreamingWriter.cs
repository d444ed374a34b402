using Bot.Core.Replies;
using Bot.Teams.Adapter;
using Bot.Teams.Connector;

namespace Bot.Teams.Replies;

/// <summary>
/// A reply in a personal chat, streamed (teams.md §5): "Thinking…" at once and the tool status as informative updates,
/// then the growing text as cumulative streaming updates, then the final message with images and citation entities
/// built from the reply's structured citations. When the user presses Stop the turn is cancelled and the reply ends
/// (<see cref="PostResult.EndedByChannel"/>); near Teams' two-minute cap the stream ends and later changes are ordinary
/// updates (PUT). Without streaming (not allowed here, or a one-off notice) it behaves like <see cref="TeamsReplyWriter"/>.
/// </summary>
internal sealed partial class TeamsStreamingWriter : IReplyWriter
{
    public const string Thinking = "Thinking…";

    private readonly ConnectorClient _connector;
    private readonly StreamTracker _tracker;
    private readonly ReplyAddress _address;
    private readonly Action _stopTurn;
    private readonly TeamsReplyWriter _plain;
    private readonly List<OutputFile> _held = [];
    private volatile TeamsStream? _stream;
    private string? _streamText;
    private volatile bool _plainPosted;
    private volatile bool _informed;

    public TeamsStreamingWriter(ConnectorClient connector, StreamTracker tracker, ReplyAddress address, TeamsOptions options, Action stopTurn)
    {
        (_connector, _tracker, _address, _stopTurn) = (connector, tracker, address, stopTurn);
        _plain = new TeamsReplyWriter(connector, address, options);
        Limits = new ChannelLimits(options.MaxMessageCharacters, options.StreamInterval, options.MaxInlineImageBytes);
        Presenter = new TeamsPresenter(() => Streaming);
    }

    public ChannelLimits Limits { get; }

    public IReplyPresenter Presenter { get; }

    // The reply goes out as a stream until it is known otherwise: no stream could be used, or it was finished early.
    private bool Streaming => !_plainPosted && _stream is not { State: not StreamState.Open };

    private bool Stopped => _stream?.State == StreamState.Cancelled;

    public async Task StartTypingAsync(CancellationToken cancellationToken = default)
    {
        // "Thinking…" once: a tool's status or the answer replaces it, and the informative update stays until then.
        if (_plainPosted || _informed)
            return; // a reply that already went out as a normal message gets no stream after it
        _informed = true;
        await InformAsync(_stream ??= _tracker.Take(_address), Thinking, cancellationToken).ConfigureAwait(false);
    }

    public async Task ShowStatusAsync(ToolStatus? status, CancellationToken cancellationToken = default)
    {
        if (status is null || !Streaming)
            return;
        _informed = true;
        await InformAsync(_stream ??= _tracker.Take(_address), status.Text, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PostResult> PostAsync(ReplyMessage message, CancellationToken cancellationToken = default)
    {
        // The typing loop may not have run yet: take over the stream the endpoint opened for this message, if any.
        // A one-off notice (no stream open) goes out as a normal message.
        if (_stream is null && !_plainPosted)
            _stream = _tracker.TryTakeOpen(_address);
        if (_stream is { State: StreamState.Open } stream && _streamText is null)
        {
            _streamText = message.Text;
            await UpdateAsync(stream, message.Text, cancellationToken).ConfigureAwait(false);
            if (stream.State is StreamState.Open or StreamState.Finished && stream.Id is { } id)
                return PostResult.Posted(id);
        }

        if (Stopped)
            return PostResult.EndedByChannel;
        if (_stream is { State: StreamState.Open } && _streamText is not null)
            await FinishStreamAsync(message.Snapshot, cancellationToken).ConfigureAwait(false); // a continuation: one stream per chat
        _plainPosted = _stream is null;
        return PostResult.Posted(await _plain.PostAsync(message.Text, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Takes over a reply an earlier process streamed (finished after a restart or a takeover): its stream is gone with that
    /// process, so the reply goes on as plain updates (PUT) of its messages, the final one included.
    /// </summary>
    public void Adopt(IReadOnlyList<string> messageIds) => _plainPosted = true;

    public async Task EditAsync(string messageId, ReplyMessage message, CancellationToken cancellationToken = default)
    {
        if (Stopped)
            return;
        if (_stream is { } stream && messageId == stream.Id)
        {
            _streamText = message.Text;
            if (stream.State == StreamState.Open)
            {
                if (stream.NearCap)
                {
                    await FinishStreamAsync(message.Snapshot, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await UpdateAsync(stream, message.Text, cancellationToken).ConfigureAwait(false);
            }

            if (stream.State != StreamState.Finished)
                return;
        }

        await _plain.EditAsync(messageId, message, cancellationToken).ConfigureAwait(false);
    }

    public Task SendFilesAsync(IReadOnlyList<OutputFile> files, CancellationToken cancellationToken = default)
    {
        if (Stopped)
            return Task.CompletedTask;
        if (_stream is { State: StreamState.Open, Id: not null })
        {
            _held.AddRange(files); // they go with the final message
            return Task.CompletedTask;
        }

        return _plain.SendFilesAsync(files, cancellationToken);
    }

    public async Task CompleteAsync(ReplySnapshot final, CancellationToken cancellationToken = default)
    {
        if (_stream is not { } stream)
            return;
        try
        {
            if (stream.State == StreamState.Open && _streamText is not null)
                await FinishStreamAsync(final, cancellationToken).ConfigureAwait(false);
            if (_held.Count > 0 && !Stopped)
                await _plain.SendFilesAsync(_held, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _held.Clear();
            _tracker.Close(stream);
        }
    }

    private async Task InformAsync(TeamsStream stream, string text, CancellationToken cancellationToken)
    {
        try
        {
            await stream.InformAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (Handled(ex))
        {
        }
    }

    private async Task UpdateAsync(TeamsStream stream, string text, CancellationToken cancellationToken)
    {
        try
        {
            await stream.UpdateAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (Handled(ex))
        {
        }
    }

    // The user's Stop ends the turn; a timed-out or unavailable stream leaves its state to say what comes next (PUT
    // updates of the streamed message, or plain messages).
    private bool Handled(ConnectorException ex)
    {
        if (ex.IsStoppedByUser)
            _stopTurn();
        return ex.IsStoppedByUser || ex.IsStreamTimeout || ex.IsStreamingUnavailable;
    }

    private async Task FinishStreamAsync(ReplySnapshot snapshot, CancellationToken cancellationToken)
    {
        var stream = _stream!;
        var final = Message(_streamText ?? "", snapshot);
        var image = _held.FirstOrDefault(OutgoingActivities.IsInlineImage);
        if (image is not null)
        {
            final["attachments"] = new JsonArray(OutgoingActivities.InlineImage(image));
            _held.Remove(image);
        }

        try
        {
            await stream.FinishAsync(final, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (ex.IsStoppedByUser)
        {
            _stopTurn();
        }
        catch (ConnectorException ex) when (ex.IsStreamTimeout && stream.Id is { } id)
        {
            // The stream is over: the final text (and its citations, without the stream's entity) becomes an update.
            await _connector.UpdateAsync(_address.ServiceUrl, _address.ConversationId, id, Message(_streamText ?? "", snapshot), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private JsonObject Message(string text, ReplySnapshot snapshot)
    {
        var message = OutgoingActivities.Message(_address, text);
        if (OutgoingActivities.CitationEntity(snapshot.Citations) is { } citations)
            message["entities"] = new JsonArray(citations);
        return message;
    }
}
