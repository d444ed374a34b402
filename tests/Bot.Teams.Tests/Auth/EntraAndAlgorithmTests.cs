using System.Net;
using Bot.Testing.Teams;
using Microsoft.IdentityModel.Tokens;

namespace Bot.Teams.Tests.Auth;

/// <summary>RS384/RS512 tokens, Entra-issued tokens (teams.md §1.8), and local mode without an app id.</summary>
public sealed class EntraAndAlgorithmTests
{
    private const string BotServiceTenant = "d6d49420-f39b-4df7-a1dc-d59a935871db";
    private const string OwnTenant = "50612dbb-0237-4969-b378-8d42590f9c00";

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    public async Task StrongerRsaAlgorithms_AreAccepted(string algorithm)
    {
        await using var bot = await TeamsHarness.StartAsync();

        var response = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "hi"), bot.Teams.CreateToken(new TokenSpec { Algorithm = algorithm }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(BotServiceTenant, null, HttpStatusCode.OK)]
    [InlineData(OwnTenant, OwnTenant, HttpStatusCode.OK)]
    [InlineData(OwnTenant, null, HttpStatusCode.Unauthorized)]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47", OwnTenant, HttpStatusCode.Unauthorized)]
    public async Task EntraTokens_AreAcceptedFromBotServiceTenantsAndTheConfiguredTenantOnly(string tokenTenant, string? configuredTenant,
        HttpStatusCode expected)
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:TenantId"] = configuredTenant });
        var token = bot.Teams.CreateToken(new TokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{tokenTenant}/v2.0",
            ExtraClaims = new Dictionary<string, object> { ["tid"] = tokenTenant, ["ver"] = "2.0", ["azp"] = FakeTeamsServer.AppId },
        });
        // The activity comes from the token's tenant: a token of the bot's own tenant speaks for that tenant only.
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "entra");
        activity["conversation"]!["tenantId"] = tokenTenant;
        activity["channelData"] = new System.Text.Json.Nodes.JsonObject();

        var response = await bot.PostAsync(activity, token);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task EntraToken_WhoseTenantClaimDiffersFromItsIssuer_IsRejected()
    {
        await using var bot = await TeamsHarness.StartAsync();
        var token = bot.Teams.CreateToken(new TokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{BotServiceTenant}/v2.0",
            ExtraClaims = new Dictionary<string, object> { ["tid"] = OwnTenant, ["ver"] = "2.0", ["azp"] = FakeTeamsServer.AppId },
        });

        var response = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "entra"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task LocalMode_AcceptsLoopbackCallersWithoutToken_AndRepliesWithoutAuthorization()
    {
        await using var bot = await TeamsHarness.StartAsync(withAppId: false);
        bot.Teams.RequireBotToken = false; // now it refuses calls that carry an Authorization header
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "local");

        var response = await bot.PostAsync(activity, token: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == Activities.ConversationId(activity) && x.StreamType == "final"));
        Assert.All(bot.Teams.Requests, r => Assert.True(r.Succeeded, FakeTeamsServer.Describe(r)));
        Assert.Empty(bot.Teams.TokenRequests);
        Assert.Equal("local", Assert.Single(bot.OpenAI.ResponseRequests).UserText);
    }
}
