using System.ComponentModel.DataAnnotations;
using Bot.Core.Configuration;

namespace Bot.Discord.Tests;

/// <summary>Settings are checked at start, each bad key named.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void BadSettings_AreEachNamedByKey()
    {
        var options = new DiscordOptions
        {
            Token = "Bot abc",
            RestBaseUrl = "discord.com",
            GatewayUrl = "https://gateway.discord.gg",
            ShardId = 2,
            ShardCount = 2,
            EditInterval = TimeSpan.Zero,
        };
        options.AllowedGuildIds.Add("my-guild");

        var result = new SectionValidator<DiscordOptions>("Discord").Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Discord:Token", "Discord:RestBaseUrl", "Discord:GatewayUrl", "Discord:ShardId", "Discord:EditInterval", "my-guild" })
            Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreValid_AndTheChannelIsOffWithoutAToken()
    {
        var options = new DiscordOptions();
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.False(options.Enabled);
        Assert.Equal("https://discord.com/api/v10", options.RestBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.EditInterval);
        Assert.Equal(["cdn.discordapp.com", "media.discordapp.net"], options.EffectiveAttachmentHosts);
    }
}
