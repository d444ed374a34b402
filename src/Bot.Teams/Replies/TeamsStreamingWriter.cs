using System.Text.Json.Nodes;
using Bot.Core.Channels;
using Bot.Teams.Adapter;
using Bot.Teams.Connector;

namespace Bot.Teams.Replies;

/// <summary>
/// A reply in a personal chat, streamed (teams.md §5): "Thinking…" at once, then the growing text as cumulative
/// streaming updates, then the final message with images and citation entities. When the user presses Stop the
/// turn is cancelled; near Teams' two-minute cap the stream ends and later changes are ordinary updates (PUT).
/// Without streaming (not allowed here, or a one-off notice) it behaves like <see cref="TeamsReplyWriter"/>.
/// </summary>
internal sealed class TeamsStreamingWriter(ConnectorClient connector, StreamTracker tracker, ReplyAddress address, TeamsOptions options,
    Action stopTurn) : IReplyWriter
{
    public const string Thinking = "Thinking…";

    private readonly TeamsReplyWriter _plain = new(connector, address, options);
    private readonly List<OutputFile> _held = [];
    private TeamsStream? _stream;
    private string? _streamText;
    private bool _plainPosted;

    public ChannelLimits Limits { get; } = new(options.MaxMessageCharacters, options.StreamInterval, options.MaxInlineImageBytes);

    private bool Stopped => _stream?.State == StreamState.Cancelled;

    public async Task StartTypingAsync(CancellationToken cancellationToken = default)
    {
        if (_plainPosted)
            return; // the reply already went out as a normal message: no stream after it
        _stream ??= tracker.Take(address);
        await StreamAsync(_stream, "", Thinking, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> PostAsync(string text, CancellationToken cancellationToken = default)
    {
        // The typing loop may not have run yet: take over the stream the endpoint opened for this message, if any.
        // A one-off notice (no stream open) goes out as a normal message.
        if (_stream is null && !_plainPosted)
            _stream = tracker.TryTakeOpen(address);
        if (_stream is { State: StreamState.Open } stream && _streamText is null)
        {
            _streamText = text;
            await StreamAsync(stream, text, cancellationToken).ConfigureAwait(false);
            if (stream.State is StreamState.Open or StreamState.Finished && stream.Id is { } id)
                return id;
        }

        if (Stopped)
            return "stopped";
        if (_stream is { State: StreamState.Open } && _streamText is not null)
            await FinishStreamAsync(cancellationToken).ConfigureAwait(false); // a continuation: one stream per chat
        _plainPosted = _stream is null;
        return await _plain.PostAsync(text, cancellationToken).ConfigureAwait(false);
    }

    public async Task EditAsync(string messageId, string text, CancellationToken cancellationToken = default)
    {
        if (Stopped)
            return;
        if (_stream is { } stream && messageId == stream.Id)
        {
            _streamText = text;
            if (stream.State == StreamState.Open)
            {
                if (stream.NearCap)
                {
                    await FinishStreamAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                await StreamAsync(stream, text, cancellationToken).ConfigureAwait(false);
            }

            if (stream.State != StreamState.Finished)
                return;
        }

        await _plain.EditAsync(messageId, text, cancellationToken).ConfigureAwait(false);
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

    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_stream is null)
            return;
        try
        {
            if (_stream.State == StreamState.Open && _streamText is not null)
                await FinishStreamAsync(cancellationToken).ConfigureAwait(false);
            if (_held.Count > 0 && !Stopped)
                await _plain.SendFilesAsync(_held, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _held.Clear();
            tracker.Close(_stream);
        }
    }

    private Task StreamAsync(TeamsStream stream, string text, CancellationToken cancellationToken)
    {
        var (body, status) = OutgoingActivities.SplitStatus(text);
        return StreamAsync(stream, body, status, cancellationToken);
    }

    private async Task StreamAsync(TeamsStream stream, string body, string? status, CancellationToken cancellationToken)
    {
        try
        {
            if (body.Length > 0)
                await stream.UpdateAsync(body, cancellationToken).ConfigureAwait(false);
            else if (status is not null)
                await stream.InformAsync(status, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (ex.IsStoppedByUser)
        {
            stopTurn();
        }
        catch (ConnectorException ex) when (ex.IsStreamTimeout || ex.IsStreamingUnavailable)
        {
            // The stream's state says what comes next: PUT updates of the streamed message, or plain messages.
        }
    }

    private async Task FinishStreamAsync(CancellationToken cancellationToken)
    {
        var stream = _stream!;
        var (text, citations) = OutgoingActivities.Citations(OutgoingActivities.SplitStatus(_streamText ?? "").Body);
        var final = OutgoingActivities.Message(address, text);
        if (citations is not null)
            final["entities"] = new JsonArray(citations);
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
            stopTurn();
        }
        catch (ConnectorException ex) when (ex.IsStreamTimeout && stream.Id is { } id)
        {
            final.Remove("entities");
            await connector.UpdateAsync(address.ServiceUrl, address.ConversationId, id, final, cancellationToken).ConfigureAwait(false);
        }
    }
}
