using System.Net;
using System.Text.Json.Nodes;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// Issue 10, point 1: an Entra-issued token counts only when an allowed caller requested it (<c>appid</c> v1 /
/// <c>azp</c> v2), a tenant outside <c>Teams:AllowedTenantIds</c> is refused before anything is stored, and a
/// conversation's mapping belongs to its tenant.
/// </summary>
public sealed class CallerAndTenantTests
{
    private const string OwnTenant = "50612dbb-0237-4969-b378-8d42590f9c00";
    private const string BotServiceTenant = "d6d49420-f39b-4df7-a1dc-d59a935871db";
    private const string TenantA = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string TenantB = "b0b0b0b0-1111-4222-8333-444444444444";
    private const string OtherApp = "a7b1c2d3-0000-4000-8000-000000000001";
    private const string Agent365Platform = "5a807f24-c9de-44ee-a3a7-329e88a00ffc";

    [Fact]
    public async Task EntraTokenIssuedToAnotherApp_IsRejected_AndTheBotTokenGoesNowhere()
    {
        // The reported attack: any app in the tenant mints a token for the bot's app id, without a serviceurl claim,
        // and names its own server as the serviceUrl.
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:TenantId"] = OwnTenant });
        await using var attacker = await CapturingServer.StartAsync();
        var activity = Activities.Personal(attacker.ServiceUrl, "minted elsewhere");

        var response = await bot.PostAsync(activity, EntraToken(bot, OwnTenant, "2.0", "azp", OtherApp));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await bot.AssertNothingStartedAsync(activity);
        Assert.Empty(attacker.Requests);
    }

    [Theory]
    [InlineData("2.0", "azp", OtherApp)]
    [InlineData("1.0", "appid", OtherApp)]
    [InlineData(null, "appid", OtherApp)]
    [InlineData("2.0", "appid", FakeTeamsServer.AppId)] // a v2 token names its caller in azp: appid does not count
    [InlineData("3.0", "azp", FakeTeamsServer.AppId)]   // an unknown token version names no caller we know how to read
    public async Task EntraTokenWithoutAnAllowedCaller_IsRejected(string? version, string claim, string caller)
    {
        await using var bot = await TeamsHarness.StartAsync();
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "who called");

        var response = await bot.PostAsync(activity, EntraToken(bot, BotServiceTenant, version, claim, caller));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await bot.AssertNothingStartedAsync(activity);
    }

    [Theory]
    [InlineData("2.0", "azp", FakeTeamsServer.AppId)]   // the Emulator path: a token the bot's own credentials obtained
    [InlineData("1.0", "appid", FakeTeamsServer.AppId)]
    [InlineData("2.0", "azp", Agent365Platform)]        // the default allowed caller
    public async Task EntraTokenFromAnAllowedCaller_IsAccepted(string version, string claim, string caller)
    {
        await using var bot = await TeamsHarness.StartAsync();

        var response = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "allowed"), EntraToken(bot, BotServiceTenant, version, claim, caller));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ConfiguredAllowedCallers_ReplaceTheDefault()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:AllowedCallers:0"] = OtherApp });

        var configured = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "configured"), EntraToken(bot, BotServiceTenant, "2.0", "azp", OtherApp));
        var formerDefault = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "former default"),
            EntraToken(bot, BotServiceTenant, "2.0", "azp", Agent365Platform));
        var own = await bot.PostAsync(Activities.Personal(bot.Teams.ServiceUrl, "own"), EntraToken(bot, BotServiceTenant, "2.0", "azp", FakeTeamsServer.AppId));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (configured.StatusCode, formerDefault.StatusCode, own.StatusCode));
    }

    [Fact]
    public async Task EntraTokenWhoseServiceUrlClaimDiffers_IsRejected()
    {
        await using var bot = await TeamsHarness.StartAsync();
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "claim differs");
        var token = bot.Teams.CreateToken(new TokenSpec
        {
            Issuer = $"https://login.microsoftonline.com/{BotServiceTenant}/v2.0",
            ServiceUrl = "https://smba.trafficmanager.net/emea/",
            ExtraClaims = new Dictionary<string, object> { ["tid"] = BotServiceTenant, ["ver"] = "2.0", ["azp"] = FakeTeamsServer.AppId },
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await bot.PostAsync(activity, token)).StatusCode);
    }

    [Fact]
    public async Task EntraTokenFromTheBotsOwnTenant_SpeaksForThatTenantOnly()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:TenantId"] = OwnTenant });
        var ownTenant = WithTenant(Activities.Personal(bot.Teams.ServiceUrl, "from my tenant"), OwnTenant);
        var otherTenant = WithTenant(Activities.Personal(bot.Teams.ServiceUrl, "from another tenant"), TenantB);

        Assert.Equal(HttpStatusCode.OK, (await bot.PostAsync(ownTenant, EntraToken(bot, OwnTenant, "2.0", "azp", FakeTeamsServer.AppId))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bot.PostAsync(otherTenant, EntraToken(bot, OwnTenant, "2.0", "azp", FakeTeamsServer.AppId))).StatusCode);
        await bot.AssertNothingStartedAsync(otherTenant);
    }

    [Fact]
    public async Task SameConversationIdFromAnotherTenant_NeverReachesTheFirstTenantsRemoteConversation()
    {
        await using var bot = await TeamsHarness.StartAsync();
        var conversation = $"a:shared-{Guid.NewGuid():N}";

        await bot.AskAsync(WithTenant(Activities.FromFixture("personal_message.json", bot.Teams.ServiceUrl, conversation, "the secret is 7"), TenantA));
        await bot.AskAsync(WithTenant(Activities.FromFixture("personal_message.json", bot.Teams.ServiceUrl, conversation, "what is the secret?"), TenantB));

        var requests = bot.OpenAI.ResponseRequests;
        Assert.Equal(2, requests.Count);
        Assert.NotEqual(requests[0].ConversationId, requests[1].ConversationId);
        var keys = (await bot.InboxAsync()).Select(row => row.Conversation).ToList();
        Assert.Equal([$"{TenantA}|{conversation}", $"{TenantB}|{conversation}"], keys);
    }

    [Fact]
    public async Task ResetFromAnotherTenant_LeavesTheFirstTenantsConversationAlone()
    {
        await using var bot = await TeamsHarness.StartAsync();
        var conversation = $"a:reset-{Guid.NewGuid():N}";
        await bot.AskAsync(WithTenant(Activities.FromFixture("personal_message.json", bot.Teams.ServiceUrl, conversation, "remember 7"), TenantA));

        await bot.SendAsync(WithTenant(Activities.FromFixture("personal_message.json", bot.Teams.ServiceUrl, conversation, "reset"), TenantB));
        await bot.Teams.WaitUntilAsync(r => r.Any(x => x.ConversationId == conversation && x.Text?.StartsWith("🔄", StringComparison.Ordinal) == true));
        await bot.AskAsync(WithTenant(Activities.FromFixture("personal_message.json", bot.Teams.ServiceUrl, conversation, "what did I say?"), TenantA));

        var requests = bot.OpenAI.ResponseRequests;
        Assert.Equal(requests[0].ConversationId, requests[1].ConversationId);
        Assert.Empty(bot.OpenAI.Ledger.DeletedConversations);
        Assert.Contains(bot.Teams.Requests, r => r.ConversationId == conversation && r.Text == "🔄 There was nothing to reset; let's start.");
    }

    [Fact]
    public async Task TenantOutsideAllowedTenantIds_IsRefused_BeforeAnythingIsStored()
    {
        await using var bot = await TeamsHarness.StartAsync(new Dictionary<string, string?> { ["Teams:AllowedTenantIds:0"] = TenantA });
        var outsider = WithTenant(Activities.Personal(bot.Teams.ServiceUrl, "from outside"), TenantB);
        var tenantless = WithTenant(Activities.Personal(bot.Teams.ServiceUrl, "from nowhere"), null);

        Assert.Equal(HttpStatusCode.Forbidden, (await bot.PostAsync(outsider, bot.Teams.CreateToken())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bot.PostAsync(tenantless, bot.Teams.CreateToken())).StatusCode);

        await bot.AssertNothingStartedAsync(outsider); // the genuine message comes from the fixture's tenant, TenantA
        await bot.AssertNothingStartedAsync(tenantless);
        Assert.All(await bot.InboxAsync(), row => Assert.StartsWith(TenantA + "|", row.Conversation, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TenantA, TenantB)]
    [InlineData("72f988bf|a:other", null)]
    public async Task ActivityWithConflictingOrMalformedTenant_IsABadRequest(string conversationTenant, string? channelDataTenant)
    {
        await using var bot = await TeamsHarness.StartAsync();
        var activity = Activities.Personal(bot.Teams.ServiceUrl, "two tenants");
        activity["conversation"]!["tenantId"] = conversationTenant;
        activity["channelData"] = channelDataTenant is null ? new JsonObject() : new JsonObject { ["tenant"] = new JsonObject { ["id"] = channelDataTenant } };

        Assert.Equal(HttpStatusCode.BadRequest, (await bot.PostAsync(activity, bot.Teams.CreateToken())).StatusCode);
        await bot.AssertNothingStartedAsync(activity);
    }

    [Fact]
    public void ReplyAddresses_CarryTheTenantInTheirKey_AndOnesStoredBeforeKeepTheirBareKey()
    {
        var current = new Adapter.ReplyAddress("https://smba.trafficmanager.net/amer/", "a:1", "7", "personal", "28:bot", TenantA);
        var legacy = Adapter.ReplyAddress.Parse("""{"serviceUrl":"https://smba.trafficmanager.net/amer/","conversationId":"a:1","scope":"personal"}""");

        Assert.Equal($"{TenantA}|a:1", Adapter.ReplyAddress.Parse(current.Serialize()).Key.ConversationId);
        Assert.Equal("a:1", legacy.Key.ConversationId); // an unfinished message from before the upgrade is stopped and recovered under its old key
    }

    private static string EntraToken(TeamsHarness bot, string tenant, string? version, string callerClaim, string caller)
    {
        var claims = new Dictionary<string, object> { ["tid"] = tenant, [callerClaim] = caller };
        if (version is not null)
            claims["ver"] = version;
        return bot.Teams.CreateToken(new TokenSpec
        {
            Issuer = version == "2.0" ? $"https://login.microsoftonline.com/{tenant}/v2.0" : $"https://sts.windows.net/{tenant}/",
            OmitServiceUrl = true,
            ExtraClaims = claims,
        });
    }

    private static JsonObject WithTenant(JsonObject activity, string? tenant)
    {
        if (tenant is null)
        {
            activity["conversation"]!.AsObject().Remove("tenantId");
            activity.Remove("channelData");
        }
        else
        {
            activity["conversation"]!["tenantId"] = tenant;
            activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } };
        }

        return activity;
    }
}
