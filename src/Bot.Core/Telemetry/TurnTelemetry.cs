using System.Diagnostics;
using Bot.Core.Backends;
using Bot.Core.Conversations;
using Bot.Core.Replies;

namespace Bot.Core.Telemetry;

/// <summary>
/// One turn's metrics and trace: a root <c>turn</c> span linked to the accepts of its messages, with child spans for
/// the queue wait, the upload, the backend stream, each channel write and the finish. Costs a few branches when
/// nothing listens.
/// </summary>
internal sealed class TurnTelemetry : IDisposable
{
    private readonly string _channel;
    private readonly long _acceptedAt;
    private readonly Activity? _turn;
    private readonly bool _running;
    private int _firstText;
    private string? _outcome;

    public TurnTelemetry(ConversationKey key, IReadOnlyList<PendingMessage> batch)
    {
        _channel = key.Channel;
        var now = Stopwatch.GetTimestamp();
        _acceptedAt = now;
        var earliest = DateTimeOffset.UtcNow;
        List<ActivityLink>? links = null;
        foreach (var message in batch)
        {
            var mark = message.Accepted;
            mark.LeftQueue();
            _acceptedAt = Math.Min(_acceptedAt, mark.Timestamp);
            earliest = mark.At < earliest ? mark.At : earliest;
            if (CoreTelemetry.QueueWait.Enabled)
                CoreTelemetry.QueueWait.Record(Stopwatch.GetElapsedTime(mark.Timestamp, now).TotalSeconds, Channel);
            if (mark.Context is { } context)
                (links ??= []).Add(new ActivityLink(context));
        }

        if (CoreTelemetry.Source.HasListeners())
        {
            // A turn is its own trace: the lane may run on the flow of whichever request first woke it.
            Activity.Current = null;
            _turn = CoreTelemetry.Source.StartActivity("turn", ActivityKind.Internal, default(ActivityContext), links: links);
            _turn?.SetTag("bot.channel", _channel);
            _turn?.SetTag("bot.conversation.hash", TelemetryHash.Of(key));
            _turn?.SetTag("bot.turn.messages", batch.Count);
            CoreTelemetry.Source.StartActivity("queue_wait", ActivityKind.Internal, _turn?.Context ?? default, startTime: earliest)?.Dispose();
        }

        if (CoreTelemetry.RunningTurns.Enabled)
        {
            _running = true;
            CoreTelemetry.RunningTurns.Add(1, Channel);
        }
    }

    private KeyValuePair<string, object?> Channel => new("bot.channel", _channel);

    /// <summary>Adds the store's turn id to the trace once it exists.</summary>
    public void SetTurnId(long turnId) => _turn?.SetTag("bot.turn.id", turnId);

    /// <summary>A child span of the turn (upload, finish).</summary>
    public static Activity? Step(string name) => CoreTelemetry.Source.StartActivity(name);

    /// <summary>The backend's answer stream: its span, time to first token and duration.</summary>
    public BackendStreamTelemetry StartBackend(string backendKind, string model) => new(backendKind, model);

    /// <summary>A post or edit of the reply; the first successful one with answer text is the time to first visible text.</summary>
    public Activity? StartWrite(bool edit)
    {
        if (CoreTelemetry.ReplyWrites.Enabled)
            CoreTelemetry.ReplyWrites.Add(1, Channel, new("bot.reply.operation", edit ? "edit" : "post"));
        return CoreTelemetry.Source.StartActivity(edit ? "reply.edit" : "reply.post");
    }

    public void Written(ReplyMessage message)
    {
        if (!message.Snapshot.HasText || Interlocked.Exchange(ref _firstText, 1) == 1)
            return;
        if (CoreTelemetry.TimeToFirstText.Enabled)
            CoreTelemetry.TimeToFirstText.Record(Stopwatch.GetElapsedTime(_acceptedAt).TotalSeconds, Channel);
        _turn?.AddEvent(new ActivityEvent("first_text"));
    }

    /// <summary>Tokens the turn used, for the model it used.</summary>
    public static void Tokens(string model, TokenUsage usage)
    {
        if (!CoreTelemetry.TokenUsage.Enabled || usage.TotalTokens == 0)
            return;
        KeyValuePair<string, object?> modelTag = new("gen_ai.request.model", model);
        KeyValuePair<string, object?> operation = new("gen_ai.operation.name", "chat");
        CoreTelemetry.TokenUsage.Record(usage.InputTokens, new("gen_ai.token.type", "input"), modelTag, operation);
        CoreTelemetry.TokenUsage.Record(usage.OutputTokens, new("gen_ai.token.type", "output"), modelTag, operation);
    }

    /// <summary>How the turn ended (a <see cref="ReplyEndingKind"/>).</summary>
    public void End(ReplyEndingKind outcome) => _outcome = outcome.ToString();

    public void Dispose()
    {
        var outcome = _outcome ?? "Unknown";
        if (CoreTelemetry.Turns.Enabled)
            CoreTelemetry.Turns.Add(1, Channel, new("bot.turn.outcome", outcome));
        if (_running)
            CoreTelemetry.RunningTurns.Add(-1, Channel);
        if (_turn is not null)
        {
            _turn.SetTag("bot.turn.outcome", outcome);
            if (outcome is not nameof(ReplyEndingKind.Completed))
                _turn.SetStatus(ActivityStatusCode.Error, outcome);
            _turn.Dispose();
        }
    }
}

/// <summary>The backend stream of one turn.</summary>
internal sealed class BackendStreamTelemetry : IDisposable
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private readonly KeyValuePair<string, object?> _model;
    private bool _firstToken;
    private bool _finished;
    private string? _error;

    public BackendStreamTelemetry(string backendKind, string model)
    {
        _model = new("gen_ai.request.model", model);
        _activity = CoreTelemetry.Source.StartActivity("backend.stream", ActivityKind.Client);
        _activity?.SetTag("gen_ai.operation.name", "chat");
        _activity?.SetTag("gen_ai.provider.name", "openai");
        _activity?.SetTag("gen_ai.request.model", model);
        _activity?.SetTag("bot.backend", backendKind);
    }

    public void Observe(AssistantEvent assistantEvent)
    {
        switch (assistantEvent)
        {
            case TextDelta when !_firstToken:
                _firstToken = true;
                if (CoreTelemetry.TimeToFirstToken.Enabled)
                    CoreTelemetry.TimeToFirstToken.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, _model);
                _activity?.AddEvent(new ActivityEvent("first_token"));
                break;
            case TurnFinished:
                _finished = true;
                break;
            case UsageReported usage:
                _activity?.SetTag("gen_ai.usage.input_tokens", usage.Usage.InputTokens);
                _activity?.SetTag("gen_ai.usage.output_tokens", usage.Usage.OutputTokens);
                break;
        }
    }

    /// <summary>The stream failed; <paramref name="errorType"/> is a failure kind or exception type name.</summary>
    public void Failed(string errorType) => _error = errorType;

    public void Dispose()
    {
        // Left without a TurnFinished: the stream failed, or the turn was stopped, reset or timed out.
        if (!_finished)
            _error ??= "interrupted";
        if (CoreTelemetry.OperationDuration.Enabled)
        {
            var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
            KeyValuePair<string, object?> operation = new("gen_ai.operation.name", "chat");
            if (_error is null)
                CoreTelemetry.OperationDuration.Record(seconds, _model, operation);
            else
                CoreTelemetry.OperationDuration.Record(seconds, _model, operation, new("error.type", _error));
        }

        if (_activity is not null)
        {
            if (_error is not null)
                _activity.SetStatus(ActivityStatusCode.Error, _error);
            _activity.Dispose();
        }
    }
}
