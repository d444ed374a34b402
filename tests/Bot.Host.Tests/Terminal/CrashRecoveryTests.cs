using System.Diagnostics;
using System.Text;
using Bot.Core.Conversations;
using Bot.Core.Storage;
using Bot.Storage.Sqlite;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Host.Tests.Terminal;

/// <summary>The bot as a real process, killed during a turn and started again.</summary>
public sealed class CrashRecoveryTests
{
    private static readonly Dictionary<string, string> s_plainStreaming = new() { ["OpenAI__Background"] = "false" };

    [Fact]
    public async Task KilledDuringATurn_TheRestartKeepsTheMappingReportsTheLostAnswerAndAnswersNothingTwice()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(50)).Text(string.Join(' ', Enumerable.Repeat("very long story", 200))));

        // First run: the answer starts streaming (plain streaming: nothing outlives the process), then the process is killed.
        using (var first = BotProcess.Start(folder, openAI, s_plainStreaming))
        {
            await first.Input.WriteLineAsync("tell me a long story");
            await first.Input.FlushAsync();
            await first.WaitForOutputAsync("very long story", TimeSpan.FromSeconds(60));
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
        }

        // Second run: nothing to say, so it only recovers and exits.
        using var second = BotProcess.Start(folder, openAI, s_plainStreaming);
        second.Input.Close();
        await second.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await second.OutputClosedAsync();

        Assert.Equal(0, second.Process.ExitCode);
        Assert.Contains(UserMessagesInterrupted, second.Output, StringComparison.Ordinal);
        Assert.Single(openAI.ResponseRequests); // the lost answer was not requested again

        var conversation = Assert.Single(openAI.Ledger.CreatedConversations);
        await using var store = new SqliteConversationStore(Options.Create(new SqliteStoreOptions { Path = folder.File("bot.db") }),
            NullLogger<SqliteConversationStore>.Instance, TimeProvider.System);
        await store.InitializeAsync();
        Assert.Equal(conversation, (await store.FindConversationAsync(new ConversationKey("terminal", "local")))?.RemoteConversationId);
        Assert.Empty(await store.GetUnfinishedInboxAsync("terminal"));
        Assert.Equal(TurnStatus.Interrupted, (await store.GetTurnAsync(1))?.Status);
        Assert.Equal("Failed", InboxStatusOfOnlyMessage(folder.File("bot.db")));
    }

    [Fact]
    public async Task KilledDuringABackgroundAnswer_TheRestartPrintsTheWholeAnswer_AsksForNothingAgain_AndExitsZero()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var story = string.Join(' ', Enumerable.Range(1, 120).Select(i => $"chapter{i}"));
        openAI.Enqueue(FakeResponse.Stream().TokenInterval(TimeSpan.FromMilliseconds(50)).Text(story));

        using (var first = BotProcess.Start(folder, openAI))
        {
            await first.Input.WriteLineAsync("tell me a long story");
            await first.Input.FlushAsync();
            await first.WaitForOutputAsync("chapter10 ", TimeSpan.FromSeconds(60));
            first.Process.Kill(entireProcessTree: true);
            await first.Process.WaitForExitAsync();
        }

        // The response went on at the service; the restart finishes the turn from it before the chat ends.
        using var second = BotProcess.Start(folder, openAI);
        second.Input.Close();
        await second.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await second.OutputClosedAsync();

        Assert.Equal(0, second.Process.ExitCode);
        Assert.Contains(story, second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(UserMessagesInterrupted, second.Output, StringComparison.Ordinal);
        Assert.Single(openAI.ResponseRequests);
    }

    [Fact]
    public async Task ChatProcess_AgainstAStreamCutEvery30Events_PrintsTheWholeAnswer_ResumedWithStartingAfter_AndExitsZero()
    {
        using var folder = new TempDirectory();
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var answer = string.Join(' ', Enumerable.Range(1, 100).Select(i => $"word{i}")) + ".";
        openAI.Enqueue(FakeResponse.Stream().Text(answer));
        openAI.CutStreamsEvery = 30;

        using var chat = BotProcess.Start(folder, openAI);
        await chat.Input.WriteLineAsync("tell me everything");
        chat.Input.Close();
        await chat.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await chat.OutputClosedAsync();

        Assert.Equal(0, chat.Process.ExitCode);
        Assert.Contains(answer, chat.Output, StringComparison.Ordinal);
        Assert.Contains(openAI.ResumeRequests, r => r.StartingAfter > 0);
        Assert.Single(openAI.ResponseRequests);
    }

    private const string UserMessagesInterrupted = "I was restarted while answering your last message";

    private static string InboxStatusOfOnlyMessage(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM inbox";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>`dotnet Bot.Host.dll chat` with its standard streams captured.</summary>
    private sealed class BotProcess : IDisposable
    {
        private readonly StringBuilder _output = new();
        private readonly Task _reader;

        private BotProcess(Process process)
        {
            Process = process;
            // Read characters, not lines: a streamed answer has no line break until it ends.
            _reader = Task.Run(async () =>
            {
                var buffer = new char[256];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (_output)
                        _output.Append(buffer, 0, read);
                }
            });
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public StreamWriter Input => Process.StandardInput;

        public string Output
        {
            get
            {
                lock (_output)
                    return _output.ToString();
            }
        }

        public static BotProcess Start(TempDirectory folder, FakeOpenAIServer openAI, IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder.Path,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bot.Host.dll"));
            start.ArgumentList.Add("chat");
            start.Environment["OPENAI_API_KEY"] = FakeOpenAIServer.ApiKey;
            start.Environment["OPENAI_BASE_URL"] = openAI.BaseUri.ToString().TrimEnd('/');
            start.Environment["Storage__Sqlite__Path"] = folder.File("bot.db");
            foreach (var (name, value) in environment ?? new Dictionary<string, string>())
                start.Environment[name] = value;
            return new BotProcess(Process.Start(start)!);
        }

        public Task OutputClosedAsync() => _reader.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task WaitForOutputAsync(string text, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!Output.Contains(text, StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no '{text}' in the output: {Output}");
                Assert.False(Process.HasExited, $"the bot exited early: {Output}");
                await Task.Delay(50);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }
}
