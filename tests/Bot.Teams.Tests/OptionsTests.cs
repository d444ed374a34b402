using Bot.Core.Channels;
using Bot.Teams.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Teams.Tests;

/// <summary>Teams settings are checked at start; every bad key is named.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void BadSettings_AreAllNamedByKey()
    {
        var errors = Validate(new Dictionary<string, string?>
        {
            ["Teams:AppId"] = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8",
            ["Teams:AppType"] = "SingleTenant",
            ["Teams:OpenIdMetadataUrl"] = "http://login.example.com/v1/.well-known/openidconfiguration",
            ["Teams:LoginEndpoint"] = "not a url",
            ["Teams:StreamInterval"] = "00:00:00.500",
            ["Teams:ServiceUrlHosts:0"] = "https://smba.trafficmanager.net/amer/",
            ["Teams:AttachmentHosts:0"] = "*.sharepoint.*",
            ["Teams:AllowedCallers:0"] = "the bot service",
            ["Teams:AllowedTenantIds:0"] = "contoso|a:1",
            ["Teams:AdminUserIds:0"] = "29:1kbOecyrymSn1FtrbJlQNF", // a Teams user id, not the Entra object id the key takes
        });

        foreach (var key in new[]
        {
            "Teams:AppPassword", "Teams:TenantId", "Teams:OpenIdMetadataUrl", "Teams:LoginEndpoint", "Teams:StreamInterval", "Teams:ServiceUrlHosts",
            "Teams:AttachmentHosts", "Teams:AllowedCallers", "Teams:AllowedTenantIds", "Teams:AdminUserIds",
        })
            Assert.Contains(errors, e => e.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void PlainHttpToLoopback_IsAllowed_ForTests()
    {
        var errors = Validate(new Dictionary<string, string?>
        {
            ["Teams:AppId"] = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8",
            ["Teams:AppPassword"] = "secret",
            ["Teams:OpenIdMetadataUrl"] = "http://127.0.0.1:5000/v1/.well-known/openidconfiguration",
            ["Teams:LoginEndpoint"] = "http://localhost:5000",
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void HostPatternsWithPortsAndIpLiterals_AreValid()
    {
        var errors = Validate(new Dictionary<string, string?>
        {
            ["Teams:AppId"] = "0b6fe6d1-fece-44f7-9a48-56465e2d5ab8",
            ["Teams:AppPassword"] = "secret",
            ["Teams:ServiceUrlHosts:0"] = "smba.infra.gcc.teams.microsoft.com",
            ["Teams:ServiceUrlHosts:1"] = "*.botframework.azure.us",
            ["Teams:ServiceUrlHosts:2"] = "127.0.0.1:3978",
            ["Teams:ServiceUrlHosts:3"] = "[::1]:3978",
            ["Teams:AllowedCallers:0"] = "c9475445-9789-4fef-9ec5-cde4a9bcd446",
            ["Teams:AllowedTenantIds:0"] = "72f988bf-86f1-41af-91ab-2d7cd011db47",
        });

        Assert.Empty(errors);
    }

    [Fact]
    public void WithoutAppIdOrLocalMode_TheChannelIsRegisteredAsOff_AndNothingElseIs()
    {
        var services = new ServiceCollection();
        services.AddTeamsChannel(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Teams:AppPassword"] = "x",
            ["Teams:LocalMode"] = "false",
            ["Teams:StreamInterval"] = "00:00:00.500", // would fail validation, were the channel on
        }).Build());

        var registration = Assert.Single(services);
        Assert.Equal(new ChannelRegistration("teams", false), registration.ImplementationInstance);
    }

    private static IReadOnlyList<string> Validate(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddTeamsChannel(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<TeamsOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }
}
