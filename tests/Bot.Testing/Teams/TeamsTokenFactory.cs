using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Testing.Teams;

/// <summary>A test RSA signing key, published (or not) with the channels it endorses.</summary>
public sealed class TestSigningKey : IDisposable
{
    public TestSigningKey(string kid, params string[] endorsements)
    {
        Kid = kid;
        Endorsements = endorsements;
        Rsa = RSA.Create(2048);
    }

    public string Kid { get; }

    public IReadOnlyList<string> Endorsements { get; }

    public RSA Rsa { get; }

    /// <summary>The public key as a JWK with the Bot Connector's extra <c>endorsements</c> member.</summary>
    public JsonObject Jwk(bool withEndorsements = true)
    {
        var parameters = Rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["x5t"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (withEndorsements)
            jwk["endorsements"] = new JsonArray([.. Endorsements.Select(e => (JsonNode)e)]);
        return jwk;
    }

    public void Dispose() => Rsa.Dispose();
}

/// <summary>What goes into a test token; every default matches a valid Bot Connector token for the bot.</summary>
public sealed record TokenSpec
{
    public string Issuer { get; init; } = "https://api.botframework.com";
    public string? Audience { get; init; }
    public string? ServiceUrl { get; init; }
    /// <summary>Leave the <c>serviceurl</c> claim out (Entra-issued tokens may carry none).</summary>
    public bool OmitServiceUrl { get; init; }
    public DateTimeOffset? NotBefore { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha256;
    /// <summary>The key that signs (default: the server's published key).</summary>
    public TestSigningKey? Key { get; init; }
    /// <summary>The kid written into the header (default: the signing key's).</summary>
    public string? Kid { get; init; }
    public IReadOnlyDictionary<string, object> ExtraClaims { get; init; } = new Dictionary<string, object>();
    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public bool Unsigned { get; init; }
}

/// <summary>Mints tokens shaped like the real Bot Connector's (header alg/kid/typ/x5t; claims serviceurl, nbf, exp, iss, aud).</summary>
public static class TeamsTokenFactory
{
    public static string Create(TokenSpec spec, TestSigningKey defaultKey, string appId, string serviceUrl)
    {
        var now = DateTimeOffset.UtcNow;
        var key = spec.Key ?? defaultKey;
        var kid = spec.Kid ?? key.Kid;
        var header = spec.Unsigned
            ? new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }
            : new JsonObject { ["alg"] = spec.Algorithm, ["kid"] = kid, ["typ"] = "JWT", ["x5t"] = kid };
        var payload = new JsonObject
        {
            ["serviceurl"] = spec.ServiceUrl ?? serviceUrl,
            ["nbf"] = (spec.NotBefore ?? now.AddMinutes(-1)).ToUnixTimeSeconds(),
            ["exp"] = (spec.Expires ?? now.AddHours(1)).ToUnixTimeSeconds(),
            ["iss"] = spec.Issuer,
            ["aud"] = spec.Audience ?? appId,
        };
        if (spec.OmitServiceUrl)
            payload.Remove("serviceurl");
        foreach (var (name, value) in spec.ExtraClaims)
            payload[name] = JsonValue.Create(value.ToString());

        var signed = $"{Encode(header)}.{Encode(payload)}";
        if (spec.Unsigned)
            return signed + ".";
        var hash = spec.Algorithm switch
        {
            SecurityAlgorithms.RsaSha384 => HashAlgorithmName.SHA384,
            SecurityAlgorithms.RsaSha512 => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };
        var signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(signed), hash, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
