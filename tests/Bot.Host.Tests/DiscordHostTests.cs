using System.Diagnostics;
using System.Text;
using Bot.Testing;
using Bot.Testing.Discord;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests;

/// <summary>The real host process with Discord__Token, Discord__RestBaseUrl and Discord__GatewayUrl pointing at the loopback fake Discord.</summary>
public sealed class DiscordHostTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task HostWithDiscordSettings_Connects_RegistersItsCommands_AndAnswersAMentionWithAStreamedEditedReply()
    {
        using var folder = new TempDirectory();
        await using var discord = await FakeDiscordServer.StartAsync();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var answer = string.Join(' ', Enumerable.Range(1, 60).Select(i => $"part{i}"));
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(40)).Text(answer));

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bot.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["OPENAI_API_KEY"] = FakeOpenAIServer.ApiKey;
        start.Environment["OPENAI_BASE_URL"] = openAI.BaseUri.ToString().TrimEnd('/');
        start.Environment["Storage__Sqlite__Path"] = folder.File("bot.db");
        start.Environment["Discord__Token"] = discord.Token;
        start.Environment["Discord__RestBaseUrl"] = discord.RestBaseUri.ToString();
        start.Environment["Discord__GatewayUrl"] = discord.GatewayUri().ToString();
        start.Environment["Discord__EditInterval"] = "00:00:00.300";
        var log = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitUntilAsync(() => discord.Commands is not null, process, log, "the commands to be registered");
            Assert.Equal(["reset", "stop", "settings", "model", "usage"], discord.Commands!.Select(c => c!["name"]!.GetValue<string>()));
            Assert.Single(discord.Gateway.Identifies);

            var mention = discord.Fixture("message_create_guild_bot_mention.json");
            await discord.Gateway.DispatchAsync("MESSAGE_CREATE", mention);
            await WaitUntilAsync(() => discord.Messages.FirstOrDefault() is { HasStopButton: false } m && m.Content == answer, process, log,
                "the final answer");

            var reply = Assert.Single(discord.Messages);
            Assert.Equal(mention["id"]!.GetValue<string>(), reply.ReplyTo);
            Assert.True(reply.Revisions.Count >= 2, "the reply was edited as it streamed");
            string text;
            lock (log)
                text = log.ToString();
            Assert.Contains("discord.com/oauth2/authorize", text, StringComparison.Ordinal);
            Assert.DoesNotContain(discord.Token, text, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Process process, StringBuilder log, string what)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (!condition())
        {
            string text;
            lock (log)
                text = log.ToString();
            Assert.False(process.HasExited, $"the host exited while waiting for {what}: {text}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}: {text}");
            await Task.Delay(50);
        }
    }
}
