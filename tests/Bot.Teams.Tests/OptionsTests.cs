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
        });

        foreach (var key in new[] { "Teams:AppPassword", "Teams:TenantId", "Teams:OpenIdMetadataUrl", "Teams:LoginEndpoint", "Teams:StreamInterval" })
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
    public void WithoutAppIdOrLocalMode_TheChannelIsNotAdded()
    {
        var services = new ServiceCollection();
        services.AddTeamsChannel(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Teams:AppPassword"] = "x" }).Build());

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(TeamsComposition));
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
