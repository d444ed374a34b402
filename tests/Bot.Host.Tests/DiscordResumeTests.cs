using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;
using Microsoft.Data.Sqlite;

namespace Bot.Host.Tests;

/// <summary>
/// The fault test of answers that survive (issue 16): the real host process is killed (<c>kill -9</c>) while it streams an
/// answer into a Discord message, and started again: the same message ends with the complete answer, nothing is posted
/// twice and no new response is asked for.
/// </summary>
public sealed class DiscordResumeTests
{
    [Fact]
    public async Task Killed_mid_answer_and_started_again_the_same_Discord_message_ends_with_the_complete_answer()
    {
        using var folder = new TempDirectory();
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var answer = string.Join(' ', Enumerable.Range(1, 80).Select(i => $"part{i}"));
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(100)).Text(answer));

        var mention = discord.Fixture("message_create_guild_bot_mention.json");
        using (var first = Start(folder, discord, openAI))
        {
            await first.WaitUntilAsync(() => discord.Commands is not null, "the commands to be registered");
            await discord.Gateway.DispatchAsync("MESSAGE_CREATE", mention);
            await first.WaitUntilAsync(() => discord.Messages is [{ Content: var shown }] && shown.Contains("part5 ", StringComparison.Ordinal),
                "the answer to be half written");
            // The resume point (with the message's id) is stored with each visible write; kill only once it is there.
            await first.WaitUntilAsync(() => StoredMessageIds(folder.File("bot.db")) == $"[\"{discord.Messages[0].Id}\"]", "the resume point");
            first.Kill();
        }

        var message = Assert.Single(discord.Messages);
        Assert.NotEqual(answer, message.Content);

        using var second = Start(folder, discord, openAI);
        await second.WaitUntilAsync(() => discord.Messages[0] is { HasStopButton: false } m && m.Content == answer, "the complete answer");

        var reply = Assert.Single(discord.Messages);
        Assert.Equal(message.Id, reply.Id);
        Assert.Equal(mention["id"]!.GetValue<string>(), reply.ReplyTo);
        Assert.Single(openAI.ResponseRequests); // finished from the stored response, not asked again
        Assert.DoesNotContain(reply.Revisions, r => r.Content.Contains("restarted while answering", StringComparison.Ordinal));
    }

    // The reply's message ids as the running turn stored them (read-only, next to the live process's connection).
    private static string? StoredMessageIds(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT reply_message_ids FROM turns WHERE status = 'Running' ORDER BY id LIMIT 1";
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException)
        {
            return null; // not created yet, or busy: look again
        }
    }

    private static HostProcess Start(TempDirectory folder, FakeDiscordServer discord, FakeOpenAIServer openAI) => HostProcess.Start([],
        new Dictionary<string, string>
        {
            ["OPENAI_API_KEY"] = FakeOpenAIServer.ApiKey,
            ["OPENAI_BASE_URL"] = openAI.BaseUri.ToString().TrimEnd('/'),
            ["Storage__Sqlite__Path"] = folder.File("bot.db"),
            ["Discord__Token"] = discord.Token,
            ["Discord__RestBaseUrl"] = discord.RestBaseUri.ToString(),
            ["Discord__GatewayUrl"] = discord.GatewayUri().ToString(),
            ["Discord__EditInterval"] = "00:00:00.300",
        }, folder.Path);
}
