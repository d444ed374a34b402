namespace Bot.Core.Health;

/// <summary>
/// One part of the bot that must work for it to be ready (a connected channel, a reachable backend). The host's
/// <c>/healthz/ready</c> asks every registered check; the store is checked by the host itself.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>The check's name in the health report (a channel or component name, e.g. <c>discord</c>).</summary>
    string Name { get; }

    /// <summary>The state now; cheap and without I/O (the check reports what the component already knows).</summary>
    Readiness Check();
}

/// <summary>A check's answer: ready or not, and a short description for the operator (no secrets, no ids).</summary>
public readonly record struct Readiness(bool Ready, string Description)
{
    public static Readiness Yes(string description) => new(true, description);

    public static Readiness No(string description) => new(false, description);
}
