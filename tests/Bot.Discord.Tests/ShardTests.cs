using System.Text.Json.Nodes;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Discord.Tests;

/// <summary>
/// Discord:ShardIds=auto: instances on one store share the shards fairly, take over and RESUME a dead instance's
/// shards, keep the identify buckets across instances, share the global REST budget, and a Stop click reaches the
/// instance that runs the turn.
/// </summary>
public sealed class ShardTests
{
    private const int Shards = 4;

    [Fact]
    public async Task Two_instances_split_four_shards_two_and_two_and_each_guilds_message_is_answered_once()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var a = await bots.StartInstanceAsync("a");
        var b = await bots.StartInstanceAsync("b");

        await bots.SplitAsync(2, 2);

        Assert.Empty(a.Shards.RunningShards.Intersect(b.Shards.RunningShards));
        var questions = Enumerable.Range(0, Shards).Select(s => bots.Mention(bots.GuildOn(s), $"14{s}0000000000000001", $"question {s}")).ToList();
        foreach (var question in questions)
            await bots.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", question);
        foreach (var question in questions)
            await bots.AnsweredAsync(question);

        // Give a second answer the time to show up, were one coming.
        await Task.Delay(ShardedBots.LeaseTimeout);
        Assert.All(questions, q => Assert.Single(bots.RepliesTo(q)));
        Assert.Equal(Shards, bots.OpenAI.ResponseRequests.Count);
        // Each shard connected once, by one instance: four identifies, one per shard.
        Assert.Equal([0, 1, 2, 3], bots.Discord.Gateway.AcceptedIdentifies.Select(i => i.ShardId).Order());
        Assert.All(bots.Discord.Gateway.AcceptedIdentifies, i => Assert.Equal(Shards, i.ShardCount));
    }

    [Fact]
    public async Task A_dead_instances_shards_are_taken_over_after_the_lease_timeout_resumed_and_missed_messages_answered_once()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var survivor = await bots.StartInstanceAsync("survivor");
        var dying = await bots.StartInstanceAsync("dying");
        await bots.SplitAsync(2, 2);
        var orphaned = dying.Shards.RunningShards;
        var sessions = orphaned.ToDictionary(s => s, s => bots.Discord.Gateway.SessionOf(s)!);
        // The dying instance saves its sessions with its lease renewals; let one pass after its shards were connected.
        await Task.Delay(ShardedBots.LeaseTimeout);

        await dying.CrashAsync();
        var missed = orphaned.Select(s => bots.Mention(bots.GuildOn(s), $"15{s}0000000000000001", $"while shard {s} had no one")).ToList();
        foreach (var message in missed)
            await bots.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", message);

        await bots.AllOnAsync(survivor, ShardedBots.LeaseTimeout * 4 + TimeSpan.FromSeconds(10));
        foreach (var message in missed)
            await bots.AnsweredAsync(message);

        // The survivor resumed the dead instance's sessions (op 6 with the saved session id), it did not identify them anew.
        var resumed = bots.Discord.Gateway.Resumes.Select(r => r["session_id"]!.GetValue<string>()).ToHashSet();
        Assert.All(orphaned, s => Assert.Contains(sessions[s], resumed));
        Assert.Equal(Shards, bots.Discord.Gateway.AcceptedIdentifies.Count);
        await Task.Delay(ShardedBots.LeaseTimeout);
        Assert.All(missed, m => Assert.Single(bots.RepliesTo(m)));
    }

    [Fact]
    public async Task A_taken_over_shard_whose_session_Discord_ended_is_identified_afresh_and_answers_again()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var survivor = await bots.StartInstanceAsync("survivor");
        var dying = await bots.StartInstanceAsync("dying");
        await bots.SplitAsync(2, 2);
        var orphaned = dying.Shards.RunningShards;
        await Task.Delay(ShardedBots.LeaseTimeout);

        await dying.CrashAsync();
        foreach (var shard in orphaned)
            bots.Discord.Gateway.ExpireSession(shard);
        await bots.AllOnAsync(survivor, ShardedBots.LeaseTimeout * 4 + TimeSpan.FromSeconds(10));

        // The RESUME got INVALID_SESSION (d: false): a new IDENTIFY for each orphaned shard, by the survivor.
        Assert.Equal(Shards + orphaned.Count, bots.Discord.Gateway.AcceptedIdentifies.Count);
        Assert.All(orphaned, s => Assert.Equal(2, bots.Discord.Gateway.AcceptedIdentifies.Count(i => i.ShardId == s)));
        var question = bots.Mention(bots.GuildOn(orphaned[0]), "1800000000000000001", "still there?");
        await bots.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", question);
        await bots.AnsweredAsync(question);
        Assert.Single(bots.RepliesTo(question));
    }

    [Fact]
    public async Task A_clean_stop_hands_the_shards_with_their_sessions_to_the_other_instance()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var staying = await bots.StartInstanceAsync("staying");
        var leaving = await bots.StartInstanceAsync("leaving");
        await bots.SplitAsync(2, 2);
        var handed = leaving.Shards.RunningShards;
        var sessions = handed.Select(s => bots.Discord.Gateway.SessionOf(s)!).ToList();

        await leaving.StopAsync();

        await bots.AllOnAsync(staying);
        // Resumed, not identified: the fake's shards still have the sessions the leaving instance ran.
        Assert.Equal(sessions, handed.Select(bots.Discord.Gateway.SessionOf));
        Assert.All(sessions, s => Assert.Contains(s, bots.Discord.Gateway.Resumes.Select(r => r["session_id"]!.GetValue<string>())));
        Assert.Equal(Shards, bots.Discord.Gateway.AcceptedIdentifies.Count);
    }

    [Fact]
    public async Task ShardCount_auto_takes_the_count_get_gateway_bot_recommends()
    {
        await using var bots = await ShardedBots.CreateAsync(2, discord => discord.Gateway.RecommendedShards = 2);
        var only = await bots.StartInstanceAsync("only", new Dictionary<string, string?> { ["Discord:ShardCount"] = "auto" });

        await bots.SplitAsync(2);

        Assert.Equal(2, only.Shards.ShardCount);
        Assert.Equal(["[0,2]", "[1,2]"], bots.Discord.Gateway.Identifies.Select(i => i["shard"]!.ToJsonString()).Order());
    }

    [Fact]
    public async Task With_more_instances_than_shards_the_instance_without_a_shard_runs_none_and_is_ready()
    {
        await using var bots = await ShardedBots.CreateAsync(2);
        var a = await bots.StartInstanceAsync("a");
        var b = await bots.StartInstanceAsync("b");
        await bots.SplitAsync(1, 1);

        var c = await bots.StartInstanceAsync("c");
        await ShardedBots.WaitUntilAsync(() => c.Shards.Started, "the third instance to look at the leases");
        await Task.Delay(ShardedBots.LeaseTimeout);

        Assert.Empty(c.Shards.RunningShards);
        Assert.Equal(2, a.Shards.RunningShards.Count + b.Shards.RunningShards.Count);
        Assert.True(c.Services.GetRequiredService<DiscordBotService>().Readiness.Ready);
    }

    [Fact]
    public async Task Identifies_keep_the_max_concurrency_bucket_rule_across_instances()
    {
        var window = TimeSpan.FromSeconds(1);
        await using var bots = await ShardedBots.CreateAsync(6, discord =>
        {
            discord.Gateway.MaxConcurrency = 2;
            discord.Gateway.IdentifyWindow = window;
        });
        var settings = new Dictionary<string, string?> { ["Discord:IdentifyInterval"] = window.ToString() };
        await Task.WhenAll(bots.StartInstanceAsync("a", settings), bots.StartInstanceAsync("b", settings), bots.StartInstanceAsync("c", settings));

        await bots.SplitAsync(2, 2, 2);

        Assert.Equal(0, bots.Discord.Gateway.IdentifiesTooFast);
        var identifies = bots.Discord.Gateway.AcceptedIdentifies;
        Assert.Equal(6, identifies.Count);
        foreach (var bucket in identifies.GroupBy(i => i.ShardId % 2))
        {
            var times = bucket.Select(i => i.At).Order().ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= window, $"bucket {bucket.Key}: {pair.First:O} then {pair.Second:O}"));
        }
    }

    [Fact]
    public async Task A_burst_from_two_instances_stays_within_the_global_rest_limit_each_using_its_share()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var a = await bots.StartInstanceAsync("a");
        var b = await bots.StartInstanceAsync("b");
        await bots.SplitAsync(2, 2);
        Assert.Equal((25, 25), (a.Rest.GlobalLimit, b.Rest.GlobalLimit));
        var before = bots.Discord.Requests.Count;

        // 80 typing indicators from each, in 80 channels (each its own bucket): only the global limit holds them back.
        var burst = new[] { a, b }.SelectMany((bot, n) => Enumerable.Range(0, 80).Select(i =>
            bot.Rest.SendJsonAsync(HttpMethod.Post, $"/channels/16{n}{i:D3}00000000000001/typing", null)));
        await Task.WhenAll(burst);

        Assert.Equal(160, bots.Discord.Requests.Count(r => r.Route == "POST /channels/:id/typing" && r.Status == 204));
        Assert.Equal(0, bots.Discord.GlobalRateLimitedCount);
        Assert.True(bots.Discord.Requests.Count - before >= 160);
    }

    [Fact]
    public async Task With_a_shared_rate_limit_proxy_each_instance_uses_the_whole_budget()
    {
        await using var bots = await ShardedBots.CreateAsync(2);
        var proxy = new Dictionary<string, string?> { ["Discord:SharedRestProxy"] = "true" };
        var a = await bots.StartInstanceAsync("a", proxy);
        var b = await bots.StartInstanceAsync("b", proxy);

        await bots.SplitAsync(1, 1);

        Assert.Equal((50, 50), (a.Rest.GlobalLimit, b.Rest.GlobalLimit));
    }

    [Fact]
    public async Task The_stop_button_clicked_on_one_instance_stops_the_answer_another_instance_runs()
    {
        await using var bots = await ShardedBots.CreateAsync(Shards);
        var a = await bots.StartInstanceAsync("a");
        var b = await bots.StartInstanceAsync("b");
        await bots.SplitAsync(2, 2);
        bots.OpenAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(string.Join(' ', Enumerable.Repeat("slow", 400))));

        // Asked in a guild of b's shards: b accepts the message and runs the turn.
        var question = bots.Mention(bots.GuildOn(b.Shards.RunningShards[0]), "1700000000000000001", "tell me a story");
        await bots.Discord.Gateway.DispatchAsync("MESSAGE_CREATE", question);
        await ShardedBots.WaitUntilAsync(() => bots.RepliesTo(question) is [{ HasStopButton: true }], "the streaming answer with its Stop button");
        var reply = bots.RepliesTo(question)[0];

        // The click arrives on one of a's shards.
        var click = bots.Discord.Fixture("interaction_create_button.json");
        click["id"] = "1700000000000000002";
        click["guild_id"] = bots.GuildOn(a.Shards.RunningShards[0]);
        click["channel_id"] = reply.ChannelId;
        click["channel"]!["id"] = reply.ChannelId;
        click["channel"]!["type"] = 0;
        click["channel"]!.AsObject().Remove("parent_id");
        click["message"]!["id"] = reply.Id;
        click["data"]!["custom_id"] = reply.Components[0]!["components"]![0]!["custom_id"]!.GetValue<string>();
        await bots.Discord.SendInteractionAsync(click);

        await ShardedBots.WaitUntilAsync(() => bots.RepliesTo(question) is [var r] && r.Content.EndsWith("⏹️ Stopped.", StringComparison.Ordinal),
            "the stopped answer");
        Assert.Equal(7, bots.Discord.Interaction("1700000000000000002")!.CallbackType);
        Assert.True(bots.RepliesTo(question)[0].Content.Length < 400 * 5, "the answer was cut short");
    }
}
