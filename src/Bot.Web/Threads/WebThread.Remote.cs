using System.Text.Json;

namespace Bot.Web.Threads;

/// <summary>
/// Changes another instance showed on this thread (its turn's answer, its visitor's message, a status, a turn that
/// ended there), applied to this copy as if they happened here and pushed to this instance's watchers, but neither
/// saved (the other instance saves what it changed) nor relayed again.
/// </summary>
internal sealed partial class WebThread
{
    // A turn is queued or running for a message another instance took in.
    private bool _runningElsewhere;

    /// <summary>Applies an event of another instance; an event this version does not know is passed on to the pages as it is.</summary>
    public void ApplyRemote(string type, string json)
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
                    var status = data.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
                    _status = status;
                    if (status is not null && !_steps.Contains(status))
                        _steps.Add(status);
                    break;
                case "state":
                    if (_pending == 0 && !_runningElsewhere)
                        _steps.Clear();
                    _runningElsewhere = true;
                    break;
                case "done":
                    _runningElsewhere = data.TryGetProperty("running", out var running) && running.ValueKind == JsonValueKind.True;
                    if (_pending == 0 && !_runningElsewhere)
                        _status = null;
                    break;
                case "approval" when data.Deserialize<WebApproval>(WebJson.Options) is { } approval:
                    _approvals.RemoveAll(a => a.Id == approval.Id);
                    if (approval.Outcome is null)
                        _approvals.Add(approval);
                    break;
            }

            Publish(type, data, relayed: true);
        }
    }
}
