using Bot.Teams.Adapter;
using Bot.Teams.Connector;

namespace Bot.Teams.Replies;

/// <summary>Where a personal-chat stream stands.</summary>
internal enum StreamState
{
    /// <summary>Updates go out as streaming requests.</summary>
    Open,

    /// <summary>The final message was sent (or Teams ended the stream): later changes are PUT updates of <see cref="TeamsStream.Id"/>.</summary>
    Finished,

    /// <summary>The user pressed Stop: nothing more is written.</summary>
    Cancelled,

    /// <summary>Teams does not stream here: the reply is sent as normal messages.</summary>
    Unavailable,
}

/// <summary>
/// One streamed message in a personal chat (teams.md §5): an informative update, cumulative streaming updates,
/// the final message. Requests go one at a time and at least <see cref="TeamsOptions.StreamInterval"/> after the
/// previous one returned, so Teams' one-request-per-second limit holds.
/// </summary>
internal sealed class TeamsStream(ConnectorClient connector, ReplyAddress address, TeamsOptions options, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _sequence;
    private DateTimeOffset _lastDone = DateTimeOffset.MinValue;
    private int _bound;
    private string? _informed;

    public ReplyAddress Address => address;

    /// <summary>The stream id (= the streamed message's activity id) once Teams answered the first request.</summary>
    public string? Id { get; private set; }

    public StreamState State { get; private set; } = StreamState.Open;

    /// <summary>The text of the last streaming update (streamed text must only grow).</summary>
    public string StreamedText { get; private set; } = "";

    /// <summary>When the first request went out.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; } = time.GetUtcNow();

    /// <summary>True once a reply writer took this stream (a stream belongs to one reply).</summary>
    public bool TryBind() => Interlocked.Exchange(ref _bound, 1) == 0;

    public bool IsBound => Volatile.Read(ref _bound) == 1;

    /// <summary>True when the stream has run so long that it should end as a normal message.</summary>
    public bool NearCap => StartedAt is { } started && time.GetUtcNow() - started >= options.StreamCutoff;

    /// <summary>Sends an informative update ("Thinking…") unless response streaming already began.</summary>
    public Task InformAsync(string text, CancellationToken cancellationToken = default) =>
        RequestAsync(() => State == StreamState.Open && StreamedText.Length == 0 && _informed != text,
            () =>
            {
                _informed = text;
                return OutgoingActivities.StreamUpdate(address, text, "informative", ++_sequence, Id);
            }, text: null, cancellationToken);

    /// <summary>Sends a streaming update with the whole text so far.</summary>
    public Task UpdateAsync(string text, CancellationToken cancellationToken = default) =>
        RequestAsync(() => State == StreamState.Open && text.StartsWith(StreamedText, StringComparison.Ordinal) && text != StreamedText,
            () => OutgoingActivities.StreamUpdate(address, text, "streaming", ++_sequence, Id), text, cancellationToken);

    /// <summary>Ends the stream with the final message.</summary>
    public async Task FinishAsync(JsonObject final, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != StreamState.Open)
                return;
            if (Id is null)
            {
                // Nothing was streamed yet: a normal message is the whole answer.
                Id = await connector.SendAsync(address.ServiceUrl, address.ConversationId, final, cancellationToken).ConfigureAwait(false);
                State = StreamState.Finished;
                return;
            }

            var entities = final["entities"] as JsonArray ?? [];
            entities.Add(new JsonObject { ["type"] = "streaminfo", ["streamId"] = Id, ["streamType"] = "final" });
            final["entities"] = entities;
            await PaceAsync(cancellationToken).ConfigureAwait(false);
            await SendAsync(final, cancellationToken).ConfigureAwait(false);
            if (State == StreamState.Open)
                State = StreamState.Finished;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RequestAsync(Func<bool> wanted, Func<JsonObject> build, string? text, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!wanted())
                return;
            await PaceAsync(cancellationToken).ConfigureAwait(false);
            if (!wanted())
                return;
            StartedAt ??= time.GetUtcNow();
            var id = await SendAsync(build(), cancellationToken).ConfigureAwait(false);
            Id ??= id;
            if (text is not null && State == StreamState.Open)
                StreamedText = text;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string?> SendAsync(JsonObject activity, CancellationToken cancellationToken)
    {
        try
        {
            return await connector.SendAsync(address.ServiceUrl, address.ConversationId, activity, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException ex) when (ex.IsStoppedByUser)
        {
            State = StreamState.Cancelled;
            throw;
        }
        catch (ConnectorException ex) when (ex.IsStreamTimeout)
        {
            State = StreamState.Finished;
            throw;
        }
        catch (ConnectorException ex) when (ex.IsStreamingUnavailable && Id is null)
        {
            State = StreamState.Unavailable;
            throw;
        }
        finally
        {
            _lastDone = time.GetUtcNow();
        }
    }

    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        var wait = _lastDone + options.StreamInterval - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }
}
