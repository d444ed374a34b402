using Bot.Core.Channels;
using Bot.Discord.DependencyInjection;
using Bot.Host;
using Bot.Teams.DependencyInjection;
using Bot.Testing;
using Bot.Web.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Host.Tests;

/// <summary>The host's start-up line about chat channels comes from the channels' own registrations.</summary>
public sealed class ChannelCheckTests
{
    [Theory]
    [InlineData(new[] { "Discord:Token=abc" }, "Chat channels: discord")]
    [InlineData(new[] { "Teams:AppId=00000000-0000-0000-0000-000000000001", "Web:Enabled=true" }, "Chat channels: teams, web")]
    [InlineData(new[] { "Teams:LocalMode=true", "Web:Enabled=false", "Discord:Token= " }, "Chat channels: teams")]
    public async Task TheOperatorIsToldWhichChannelsTheSettingsTurnOn(string[] settings, string expected)
    {
        var services = new ServiceCollection();
        var configuration = Configuration(settings);
        services.AddDiscordChannel(configuration).AddTeamsChannel(configuration).AddWebChat(configuration);

        var entry = Assert.Single(await LogAsync(services));

        Assert.Equal((LogLevel.Information, 4001, expected), (entry.Level, entry.EventId.Id, entry.Message));
    }

    [Fact]
    public async Task WithoutChannelSettings_TheOperatorIsToldHowToTalkToTheBot()
    {
        var services = new ServiceCollection();
        var configuration = Configuration(["Web:Enabled=false"]);
        services.AddDiscordChannel(configuration).AddTeamsChannel(configuration).AddWebChat(configuration);

        var entry = Assert.Single(await LogAsync(services));

        Assert.Equal((LogLevel.Warning, 4000), (entry.Level, entry.EventId.Id));
        Assert.Contains("-- chat", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChannelTheHostDoesNotKnow_IsNamedFromItsRegistration()
    {
        var services = new ServiceCollection();
        var configuration = Configuration(["Web:Enabled=true"]);
        services.AddWebChat(configuration);
        services.AddSingleton(new ChannelRegistration("slack", Enabled: true));
        services.AddSingleton(new ChannelRegistration("matrix", Enabled: false));

        var entry = Assert.Single(await LogAsync(services));

        Assert.Equal("Chat channels: web, slack", entry.Message);
    }

    private static IConfiguration Configuration(string[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], (string?)p[1])))
        .Build();

    private static async Task<IReadOnlyList<(LogLevel Level, EventId EventId, string Message)>> LogAsync(IServiceCollection services)
    {
        var log = new ListLogger<ChannelCheck>();
        var check = new ChannelCheck(services.BuildServiceProvider().GetServices<ChannelRegistration>(), log);
        await check.StartAsync(CancellationToken.None);
        return log.Entries;
    }
}
