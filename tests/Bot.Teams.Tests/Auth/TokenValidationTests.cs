using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Testing;
using Bot.Testing.Teams;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// /api/messages validates every token per teams.md §1.3 against the fake's published keys; real validation code
/// runs in every test. Rejected requests start no turn: a valid message sent afterwards is the only one answered.
/// </summary>
public sealed class TokenValidationTests : IAsyncLifetime
{
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ValidToken_IsAccepted_AndTheMessageAnswered()
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "hello");

        var response = await _bot.PostAsync(activity, _bot.Teams.CreateToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var conversation = Activities.ConversationId(activity);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));
        Assert.Equal("hello", Assert.Single(_bot.OpenAI.ResponseRequests).UserText);
    }

    [Fact]
    public Task NoAuthorizationHeader_IsRejected() => AssertRejectedAsync(null, HttpStatusCode.Unauthorized);

    [Fact]
    public Task NotABearerHeader_IsRejected() => AssertRejectedAsync("not-a-jwt", HttpStatusCode.Unauthorized);

    [Fact]
    public async Task BadSignature_IsRejected()
    {
        // Signed by another key under the published key's id.
        using var impostor = new TestSigningKey(_bot.Teams.SigningKey.Kid, "msteams");
        await AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Key = impostor }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TamperedPayload_IsRejected()
    {
        var parts = _bot.Teams.CreateToken().Split('.');
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        claims["aud"] = "someone-else";
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(claims.ToJsonString())}.{parts[2]}";
        await AssertRejectedAsync(forged, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnknownKey_IsRejected_AfterOneRefreshOfTheKeys()
    {
        await WarmUpAsync();
        var before = _bot.Teams.MetadataRequests;
        using var unpublished = new TestSigningKey("never-published", "msteams");

        await AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Key = unpublished }), HttpStatusCode.Unauthorized);

        Assert.Equal(before + 1, _bot.Teams.MetadataRequests);
    }

    [Fact]
    public async Task RotatedKey_IsAccepted_AfterTheKeysAreRefreshed()
    {
        await WarmUpAsync();
        var rotated = new TestSigningKey("rotated-key", "msteams");
        _bot.Teams.Publish(rotated);
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "after rotation");

        var response = await _bot.PostAsync(activity, _bot.Teams.CreateToken(new TokenSpec { Key = rotated }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public Task WrongIssuer_IsRejected() =>
        AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Issuer = "https://evil.example.com" }), HttpStatusCode.Unauthorized);

    [Fact]
    public Task WrongAudience_IsRejected() =>
        AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Audience = "11111111-2222-3333-4444-555555555555" }), HttpStatusCode.Unauthorized);

    [Fact]
    public Task Expired_IsRejected() => AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec
    {
        NotBefore = DateTimeOffset.UtcNow.AddHours(-2),
        Expires = DateTimeOffset.UtcNow.AddMinutes(-6),
    }), HttpStatusCode.Unauthorized);

    [Fact]
    public async Task ExpiredWithinFiveMinutesOfSkew_IsAccepted()
    {
        var token = _bot.Teams.CreateToken(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddHours(-1), Expires = DateTimeOffset.UtcNow.AddMinutes(-3) });

        var response = await _bot.PostAsync(Activities.Personal(_bot.Teams.ServiceUrl, "skew"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public Task NotYetValid_IsRejected() => AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec
    {
        NotBefore = DateTimeOffset.UtcNow.AddMinutes(10),
        Expires = DateTimeOffset.UtcNow.AddHours(1),
    }), HttpStatusCode.Unauthorized);

    [Fact]
    public async Task KeyWithoutMsTeamsEndorsement_IsForbidden()
    {
        var webchatOnly = new TestSigningKey("webchat-key", "webchat", "directline");
        _bot.Teams.Publish(webchatOnly);

        await AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Key = webchatOnly }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public Task ServiceUrlClaimMismatch_IsRejected() =>
        AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { ServiceUrl = "https://smba.trafficmanager.net/emea/" }), HttpStatusCode.Unauthorized);

    [Fact]
    public Task AlgNone_IsRejected() => AssertRejectedAsync(_bot.Teams.CreateToken(new TokenSpec { Unsigned = true }), HttpStatusCode.Unauthorized);

    [Fact]
    public Task HmacAlgorithm_IsRejected() =>
        AssertRejectedAsync(HmacToken(), HttpStatusCode.Unauthorized);

    [Fact]
    public Task RealBotConnectorToken_FromTheRecording_IsRejected() =>
        // Signed by Microsoft's key (not published here), audience another bot, expired in 2019.
        AssertRejectedAsync(File.ReadAllText(Fixtures.Path("teams", "bf_connector_jwt.txt")).Trim(), HttpStatusCode.Unauthorized);

    [Fact]
    public void TestTokens_CarryTheHeaderAndClaimsOfTheRealConnectorToken()
    {
        var parts = _bot.Teams.CreateToken().Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        var realHeader = JsonNode.Parse(File.ReadAllText(Fixtures.Path("teams", "bf_connector_jwt.header.json")))!.AsObject();
        var realClaims = JsonNode.Parse(File.ReadAllText(Fixtures.Path("teams", "bf_connector_jwt.claims.json")))!.AsObject();

        Assert.Equal(realHeader.Select(p => p.Key).Order(), header.Select(p => p.Key).Order());
        Assert.Equal(realClaims.Select(p => p.Key).Order(), claims.Select(p => p.Key).Order());
        Assert.Equal(realClaims["iss"]!.GetValue<string>(), claims["iss"]!.GetValue<string>());
    }

    [Fact]
    public async Task MalformedActivity_IsABadRequest()
    {
        using var content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages") { Content = content };
        request.Headers.Authorization = new("Bearer", _bot.Teams.CreateToken());

        var response = await _bot.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private string HmacToken()
    {
        var parts = _bot.Teams.CreateToken().Split('.');
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "HS256", typ = "JWT", kid = _bot.Teams.SigningKey.Kid }));
        using var hmac = new System.Security.Cryptography.HMACSHA256(_bot.Teams.SigningKey.Rsa.ExportSubjectPublicKeyInfo());
        var signature = Base64UrlEncoder.Encode(hmac.ComputeHash(System.Text.Encoding.ASCII.GetBytes($"{header}.{parts[1]}")));
        return $"{header}.{parts[1]}.{signature}";
    }

    private async Task WarmUpAsync()
    {
        var response = await _bot.PostAsync(Activities.Personal(_bot.Teams.ServiceUrl, "warm up"), _bot.Teams.CreateToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The rejected activity starts nothing: a valid one sent after it is the only one the assistant sees.
    private async Task AssertRejectedAsync(string? token, HttpStatusCode expected)
    {
        var forged = Activities.Personal(_bot.Teams.ServiceUrl, "forged");
        var response = await _bot.PostAsync(forged, token);
        Assert.Equal(expected, response.StatusCode);

        var valid = Activities.Personal(_bot.Teams.ServiceUrl, "genuine");
        Assert.Equal(HttpStatusCode.OK, (await _bot.PostAsync(valid, _bot.Teams.CreateToken())).StatusCode);
        var conversation = Activities.ConversationId(valid);
        await _bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.StreamType == "final"));

        Assert.DoesNotContain(_bot.OpenAI.ResponseRequests, r => r.UserText.Contains("forged", StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Teams.Requests, r => r.ConversationId == Activities.ConversationId(forged));
    }
}
