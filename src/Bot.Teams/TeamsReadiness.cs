using Bot.Core.Health;
using Bot.Teams.Auth;

namespace Bot.Teams;

/// <summary>The Teams channel's readiness: the signing keys that validate incoming requests are loaded.</summary>
internal sealed class TeamsReadiness(InboundAuthenticator authenticator) : IReadinessCheck
{
    public string Name => "teams";

    public Readiness Check() => authenticator.SigningKeysReadiness();
}
