using Bot.Host;
using Microsoft.Extensions.Configuration;

namespace Bot.Host.Tests;

public sealed class ChannelCheckTests
{
    [Theory]
    [InlineData(new string[0], "")]
    [InlineData(new[] { "Discord:Token=abc" }, "discord")]
    [InlineData(new[] { "Teams:AppId=00000000-0000-0000-0000-000000000001", "Web:Enabled=true" }, "teams,web")]
    [InlineData(new[] { "Teams:LocalMode=true", "Web:Enabled=false", "Discord:Token= " }, "teams")]
    public void TheOperatorIsToldWhichChannelsTheSettingsTurnOn(string[] settings, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], (string?)p[1])))
            .Build();

        Assert.Equal(expected, string.Join(',', ChannelCheck.ConfiguredChannels(configuration)));
    }
}
