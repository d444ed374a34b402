using Bot.Core.Channels;
using Bot.Discord.DependencyInjection;
using Bot.Teams.DependencyInjection;
using Bot.Testing;
using Bot.Web.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Host.Tests;

/// <summary>What each channel's Add* method registers when its settings leave it off, and what the host does with bad settings of one that is on.</summary>
public sealed class ChannelRegistrationTests
{
    [Fact]
    public async Task ADisabledChannel_RegistersNothingThatRuns_AndMapsNoEndpoint()
    {
        var builder = LoopbackHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = "",
            ["Teams:LocalMode"] = "false",
            ["Web:Enabled"] = "false",
        });
        var before = builder.Services.Count;
        builder.Services.AddDiscordChannel(builder.Configuration).AddTeamsChannel(builder.Configuration).AddWebChat(builder.Configuration);

        var added = builder.Services.Skip(before).ToList();
        Assert.Equal(
            [new ChannelRegistration("discord", false), new ChannelRegistration("teams", false), new ChannelRegistration("web", false)],
            added.Select(d => d.ImplementationInstance));

        await using var app = builder.Build();
        app.MapTeamsChannel();
        app.MapWebChat();
        Assert.Empty(((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints));
    }

    [Fact]
    public async Task Server_WithBadSettingsOfEveryEnabledChannel_StopsWithOneMessageNamingEveryKey()
    {
        using var folder = new TempDirectory();
        var error = new StringWriter();

        var exitCode = await BotApplication.RunServerAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--OpenAI:ApiKey", "sk-test",
            "--Storage:Sqlite:Path", folder.File("bot.db"),
            "--Discord:Token", "abc",
            "--Discord:ShardId", "3",
            "--Teams:AppId", "00000000-0000-0000-0000-000000000001",
            "--Teams:StreamInterval", "00:00:00.500",
            "--Web:Enabled", "true",
            "--Web:AccessKeys:0", "short",
        ], error).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var message = error.ToString();
        Assert.Equal(1, message.Split("The bot cannot start").Length - 1);
        foreach (var key in new[] { "Discord:ShardId", "Teams:AppPassword", "Teams:StreamInterval", "Web:AccessKeys" })
            Assert.Contains(key, message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("bot.db")), "nothing should run with invalid settings");
    }
}
