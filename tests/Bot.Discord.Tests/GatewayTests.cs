using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Bot.Discord.Tests;

/// <summary>The gateway client against the fake gateway: identify, heartbeats, resume, reconnects, fatal close codes.</summary>
public sealed class GatewayTests
{
    [Fact]
    public async Task Start_IdentifiesWithTheChatIntentsAndShard_RegistersTheCommands_AndLogsTheInviteUrl()
    {
        await using var bot = await DiscordHarness.StartAsync(o => (o.ShardId, o.ShardCount) = (1, "2"));

        var identify = Assert.Single(bot.Discord.Gateway.Identifies);
        Assert.Equal(37377, identify["intents"]!.GetValue<int>());
        Assert.Equal("[1,2]", identify["shard"]!.ToJsonString());
        Assert.Equal(bot.Discord.Token, identify["token"]!.GetValue<string>());

        var commands = bot.Discord.Commands!;
        Assert.Equal(["reset", "stop", "settings", "model", "usage"], commands.Select(c => c!["name"]!.GetValue<string>()));
        // Everything but the server settings works in DMs too.
        Assert.All(commands.Where(c => c!["default_member_permissions"] is null),
            c => Assert.Contains(1, c!["contexts"]!.AsArray().Select(x => x!.GetValue<int>())));
        var put = Assert.Single(bot.Discord.Requests, r => r.Route == "PUT /applications/:id/commands");
        Assert.Equal($"/applications/{bot.Discord.ApplicationId}/commands", put.Path);

        var invite = Assert.Single(bot.Log.Entries, e => e.EventId.Id == 5011).Message;
        Assert.Contains($"client_id={bot.Discord.ApplicationId}", invite, StringComparison.Ordinal);
        Assert.Contains("scope=bot%20applications.commands", invite, StringComparison.Ordinal);
        Assert.Contains("permissions=274878024704", invite, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Discord.Token, string.Join('\n', bot.Log.Entries.Select(e => e.Message)), StringComparison.Ordinal);
        Assert.All(bot.Discord.Requests, r =>
        {
            Assert.Equal($"Bot {bot.Discord.Token}", r.Authorization);
            Assert.StartsWith("DiscordBot (", r.UserAgent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Heartbeats_CarryTheLastSequence_KeepTheInterval_AndAnswerAServerRequestAtOnce()
    {
        await using var bot = await DiscordHarness.StartAsync(arrange: d => d.Gateway.HeartbeatIntervalMs = 300);
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Heartbeats.Count >= 4, "four heartbeats");

        var beats = bot.Discord.Gateway.Heartbeats;
        // The first beat may leave before READY arrives (its jitter can be near zero); later ones carry the last sequence.
        Assert.All(beats.Skip(1), b => Assert.True(b.Sequence >= 2, "READY and GUILD_CREATE were received before this beat"));
        // Never faster than the interval: the bot waits a whole interval after each beat, so beat i cannot reach the
        // gateway before i intervals after HELLO left it. A slow machine only makes beats later, never earlier (a timer
        // may fire a millisecond or so early; 10 ms per beat is allowed for that).
        var hello = bot.Discord.Gateway.LastHelloAt!.Value;
        for (var i = 1; i < beats.Count; i++)
            Assert.True(beats[i].At - hello >= (TimeSpan.FromMilliseconds(300) - TimeSpan.FromMilliseconds(10)) * i,
                $"beat {i} came {beats[i].At - hello} after HELLO");

        var before = bot.Discord.Gateway.Heartbeats.Count;
        bot.Discord.Gateway.HeartbeatIntervalMs = 41_250;
        await bot.Discord.Gateway.SendOpAsync(1);
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Heartbeats.Count > before, "a heartbeat in answer to op 1");
    }

    [Fact]
    public async Task MissedHeartbeatAck_ClosesTheZombieConnectionAndResumes()
    {
        await using var bot = await DiscordHarness.StartAsync(arrange: d => d.Gateway.HeartbeatIntervalMs = 200);
        bot.Discord.Gateway.AckHeartbeats = false;
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Resumes.Count == 1, "a RESUME after the missed ACK");
        bot.Discord.Gateway.AckHeartbeats = true;

        var resume = bot.Discord.Gateway.Resumes[0];
        Assert.Equal(bot.Discord.Token, resume["token"]!.GetValue<string>());
        Assert.True(resume["seq"]!.GetValue<long>() >= 2);
        Assert.Single(bot.Discord.Gateway.Identifies);
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 5005);
        await AnswersAsync(bot);
    }

    [Fact]
    public async Task GatewayThatNeverSaysHello_IsLeftAndConnectedToAgain()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.HelloTimeout = TimeSpan.FromMilliseconds(300),
            d => d.Gateway.SendHello = false, waitForReady: false);
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Connections >= 2, "a second connection after the missing HELLO");
        bot.Discord.Gateway.SendHello = true;

        await bot.WaitUntilAsync(() => bot.Discord.Commands is not null, "READY on a connection that says HELLO");
        Assert.Single(bot.Discord.Gateway.Identifies);
        Assert.Contains(bot.Log.Entries, e => e.EventId.Id == 5001);
        await AnswersAsync(bot);
    }

    [Fact]
    public async Task ReconnectRequest_Op7_ResumesTheSession()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await bot.Discord.Gateway.SendOpAsync(7);
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Resumes.Count == 1 && bot.Discord.Gateway.IsLive, "a resumed session after op 7");
        Assert.Single(bot.Discord.Gateway.Identifies);
        await AnswersAsync(bot);
    }

    [Fact]
    public async Task InvalidSession_Resumable_Resumes_NotResumable_IdentifiesAfresh()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await bot.Discord.Gateway.SendOpAsync(9, JsonValue.Create(true));
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Resumes.Count == 1 && bot.Discord.Gateway.IsLive, "a resume after op 9 true");
        Assert.Single(bot.Discord.Gateway.Identifies);

        await bot.Discord.Gateway.SendOpAsync(9, JsonValue.Create(false));
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Identifies.Count == 2 && bot.Discord.Gateway.IsLive, "a new IDENTIFY after op 9 false");
        Assert.Single(bot.Discord.Gateway.Resumes);
        await AnswersAsync(bot);
    }

    [Fact]
    public async Task DroppedConnection_ResumesAndTheReplayedMessageIsAnsweredOnce()
    {
        await using var bot = await DiscordHarness.StartAsync();
        bot.Discord.Gateway.Drop();
        // Sent while the bot is away: the resume replays it.
        var missed = bot.Mention("sent during the drop");
        await bot.SendAsync(missed);
        await bot.AnsweredAsync(missed);
        Assert.Single(bot.Discord.Gateway.Resumes);

        // Discord may deliver an event again (here after another resume): it is not answered twice.
        bot.Discord.Gateway.Drop();
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Resumes.Count == 2 && bot.Discord.Gateway.IsLive, "a second resume");
        await bot.SendAsync(missed);
        var marker = bot.Mention("marker");
        await bot.SendAsync(marker);
        await bot.AnsweredAsync(marker);

        Assert.Single(bot.RepliesTo(missed));
        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
    }

    [Fact]
    public async Task MessageDeliveredAgainAfterARestart_IsNotAnsweredTwice()
    {
        await using var bot = await DiscordHarness.StartAsync();
        var message = bot.Mention("answer me once");
        await bot.SendAsync(message);
        await bot.AnsweredAsync(message);

        await bot.RestartAsync();
        await bot.SendAsync(message);
        var marker = bot.Mention("marker");
        await bot.SendAsync(marker);
        await bot.AnsweredAsync(marker);

        Assert.Single(bot.RepliesTo(message));
        Assert.Equal(2, bot.OpenAI.ResponseRequests.Count);
        Assert.Equal(2, bot.Discord.Gateway.Identifies.Count);
    }

    [Fact]
    public async Task Close4014_StopsTheChannelWithAMessageAboutTheMessageContentIntent_AndDoesNotReconnect()
    {
        await using var bot = await DiscordHarness.StartAsync(arrange: d => d.Gateway.MessageContentIntentEnabled = false, waitForReady: false);
        var stop = await bot.Service.Stopped.WaitAsync(DiscordHarness.Timeout);

        Assert.Equal(4014, stop?.CloseCode);
        var entry = Assert.Single(bot.Log.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("Message Content intent", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Developer Portal", entry.Message, StringComparison.Ordinal);
        Assert.Equal(1, bot.Discord.Gateway.Connections);
        Assert.Single(bot.Discord.Gateway.Identifies);
    }

    [Fact]
    public async Task RejectedToken_StopsTheChannelWithAMessageNamingTheTokenSetting()
    {
        await using var bot = await DiscordHarness.StartAsync(o => o.Token = "wrong-token", waitForReady: false);
        var stop = await bot.Service.Stopped.WaitAsync(DiscordHarness.Timeout);

        Assert.Equal(4004, stop?.CloseCode);
        Assert.Contains("Discord__Token", Assert.Single(bot.Log.Entries, e => e.Level == LogLevel.Critical).Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", string.Join('\n', bot.Log.Entries.Select(e => e.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close4004FromTheGateway_StopsWithoutReconnecting()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await bot.Discord.Gateway.CloseAsync(4004, "Authentication failed.");
        var stop = await bot.Service.Stopped.WaitAsync(DiscordHarness.Timeout);

        Assert.Equal(4004, stop?.CloseCode);
        Assert.Equal(1, bot.Discord.Gateway.Connections);
    }

    [Fact]
    public async Task ResumableCloseCode_Resumes_SessionTimeout_IdentifiesAfresh()
    {
        await using var bot = await DiscordHarness.StartAsync();
        await bot.Discord.Gateway.CloseAsync(4000, "Unknown error");
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Resumes.Count == 1 && bot.Discord.Gateway.IsLive, "a resume after 4000");

        await bot.Discord.Gateway.CloseAsync(4009, "Session timed out");
        await bot.WaitUntilAsync(() => bot.Discord.Gateway.Identifies.Count == 2 && bot.Discord.Gateway.IsLive, "an identify after 4009");
        Assert.Single(bot.Discord.Gateway.Resumes);
        await AnswersAsync(bot);
    }

    private static async Task AnswersAsync(DiscordHarness bot)
    {
        var message = bot.Mention("still there?");
        await bot.SendAsync(message);
        Assert.Equal("You said: Test User: still there?", Assert.Single(await bot.AnsweredAsync(message)).Content);
    }
}
