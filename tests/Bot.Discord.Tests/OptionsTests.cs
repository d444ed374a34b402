using System.ComponentModel.DataAnnotations;
using Bot.Core.Channels;
using Bot.Core.Configuration;
using Bot.Discord.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
            ShardCount = "2",
            EditInterval = TimeSpan.Zero,
        };
        options.AllowedGuildIds.Add("my-guild");
        options.AllowedUserIds.Add("@alice");
        options.AllowedRoleIds.Add("moderators");

        var result = new SectionValidator<DiscordOptions>("Discord").Validate(null, options);

        Assert.True(result.Failed);
        foreach (var key in new[] { "Discord:Token", "Discord:RestBaseUrl", "Discord:GatewayUrl", "Discord:ShardId", "Discord:EditInterval", "my-guild",
                     "Discord:AllowedUserIds", "@alice", "Discord:AllowedRoleIds", "moderators" })
            Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", null, "Discord:ShardCount")]
    [InlineData("many", null, "Discord:ShardCount")]
    [InlineData("auto", null, "Discord:ShardCount")]
    [InlineData("4", "some", "Discord:ShardIds")]
    public void BadShardSettings_AreNamedByKey(string count, string? ids, string key)
    {
        var options = new DiscordOptions { ShardCount = count, ShardIds = ids };

        var result = new SectionValidator<DiscordOptions>("Discord").Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", "auto")]
    [InlineData("auto", "AUTO")]
    [InlineData("2", null)]
    public void ShardSettings_ManualOrLeased_AreValid(string count, string? ids)
    {
        var options = new DiscordOptions { ShardCount = count, ShardIds = ids, ShardId = 1 };

        Assert.False(new SectionValidator<DiscordOptions>("Discord").Validate(null, options).Failed);
    }

    [Fact]
    public void Defaults_AreValid()
    {
        var options = new DiscordOptions();
        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Equal("https://discord.com/api/v10", options.RestBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(1), options.EditInterval);
        Assert.Equal(["cdn.discordapp.com", "media.discordapp.net"], options.EffectiveAttachmentHosts);
        Assert.False(options.LinkPreviews);
        Assert.True(options.AllowDirectMessages);
        Assert.Empty(options.AllowedUserIds);
        Assert.Empty(options.AllowedRoleIds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void WithoutAToken_TheChannelIsRegisteredAsOff_AndNothingElseIs(string? token)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = token,
            ["Discord:ShardId"] = "7", // would fail validation, were the channel on
        }).Build();

        var services = new ServiceCollection().AddDiscordChannel(configuration);

        var registration = Assert.Single(services);
        Assert.Equal(new ChannelRegistration("discord", false), registration.ImplementationInstance);
    }

    [Fact]
    public void Registration_BindsTheDiscordSection_ListsReplaceTheDefaultHosts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = "abc",
            ["Discord:ConversationScope"] = "User",
            ["Discord:EditInterval"] = "00:00:02",
            ["Discord:AllowedGuildIds:0"] = "123",
            ["Discord:AllowedChannelIds:0"] = "456",
            ["Discord:AttachmentHosts:0"] = "cdn.example.org",
            ["Discord:LinkPreviews"] = "true",
            ["Discord:AllowDirectMessages"] = "false",
            ["Discord:AllowedUserIds:0"] = "789",
            ["Discord:AllowedRoleIds:0"] = "1011",
        }).Build();
        using var provider = new ServiceCollection().AddDiscordChannel(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DiscordOptions>>().Value;
        Assert.True(ChannelRegistration.IsEnabled(provider, "discord"));
        Assert.Equal(ConversationScope.User, options.ConversationScope);
        Assert.Equal(TimeSpan.FromSeconds(2), options.EditInterval);
        Assert.Equal(["123"], options.AllowedGuildIds);
        Assert.Equal(["456"], options.AllowedChannelIds);
        Assert.Equal(["cdn.example.org"], options.EffectiveAttachmentHosts);
        Assert.True(options.LinkPreviews);
        Assert.False(options.AllowDirectMessages);
        Assert.Equal(["789"], options.AllowedUserIds);
        Assert.Equal(["1011"], options.AllowedRoleIds);
    }
}
