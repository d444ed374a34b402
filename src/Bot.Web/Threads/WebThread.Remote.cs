using System.Text.Json;

namespace Bot.Web.Threads;

/// <summary>
/// Changes another instance showed on this thread (its turn's answer, its visitor's message, a status, a turn that
/// ended there), applied to this copy as if they happened here and pushed to this instance's watchers, but neither
/// saved (the other instance saves what it changed) nor relayed again.
/// </summary>
internal sealed partial class WebThread
{
    // How many turns each other instance has queued or running for messages it took in (its last word on it).
    private readonly Dictionary<string, int> _queuedElsewhere = new(StringComparer.Ordinal);

    private bool RunningElsewhere => _queuedElsewhere.Values.Any(n => n > 0);

    /// <summary>
    /// Applies an event of the instance <paramref name="origin"/>; an event this version does not know is passed on to the
    /// pages as it is.
    /// </summary>
    public void ApplyRemote(string origin, string type, string json)
    {
        JsonElement data;
        try
        {
            data = JsonSerializer.Deserialize<JsonElement>(json, WebJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        lock (_lock)
        {
            if (_retired)
                return;
            switch (type)
            {
                case "message" when data.Deserialize<WebMessage>(WebJson.Options) is { } message:
                    ReplaceLocked(message, relayed: true);
                    return;
                case "status":
                    var text = data.TryGetProperty("text", out var shown) && shown.ValueKind == JsonValueKind.String ? shown.GetString() : null;
                    _status = text;
                    if (text is not null && !_steps.Contains(text))
                        _steps.Add(text);
                    break;
                case "state":
                    if (_pending == 0 && !RunningElsewhere)
                        _steps.Clear();
                    _queuedElsewhere[origin] = Math.Max(1, Queued(data));
                    Publish(type, new { running = true, status = _status }, relayed: true);
                    return;
                case "done":
                    _queuedElsewhere[origin] = Queued(data);
                    if (_pending == 0 && !RunningElsewhere)
                        _status = null;
                    // Running or not as this instance sees it: its own turns and every other instance's.
                    Publish(type, new
                    {
                        status = data.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString() : null,
                        running = _pending > 0 || RunningElsewhere,
                        steps = _steps.ToArray(),
                    }, relayed: true);
                    return;
                case "approval" when data.Deserialize<WebApproval>(WebJson.Options) is { } approval:
                    _approvals.RemoveAll(a => a.Id == approval.Id);
                    if (approval.Outcome is null)
                        _approvals.Add(approval);
                    break;
            }

            Publish(type, data, relayed: true);
        }
    }

    private static int Queued(JsonElement data) =>
        data.TryGetProperty("queued", out var queued) && queued.TryGetInt32(out var count) ? Math.Max(0, count) : 0;
}
