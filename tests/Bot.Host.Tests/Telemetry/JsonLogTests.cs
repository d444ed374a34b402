using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Telemetry;

/// <summary><c>Logging:Format=json</c> turns the console log into one JSON object per line.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task LoggingFormatJson_WritesEachLogEntryAsOneJsonObjectWithItsEventId()
    {
        using var folder = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bot.Host.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{LoopbackHost.FreePort()}");
        start.Environment["OPENAI_API_KEY"] = FakeOpenAIServer.ApiKey;
        start.Environment["OPENAI_BASE_URL"] = "http://127.0.0.1:9/v1";
        start.Environment["Storage__Sqlite__Path"] = folder.File("bot.db");
        start.Environment["Logging__Format"] = "json";
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (lines) if (e.Data is not null) lines.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // With no channel configured the host warns (event 4000) that only /healthz is served.
            var deadline = DateTime.UtcNow + ServerUnderTest.Timeout;
            JsonElement? warning = null;
            while (warning is null)
            {
                Assert.False(process.HasExited, "the host exited: " + string.Join('\n', lines));
                Assert.True(DateTime.UtcNow < deadline, "no JSON warning: " + string.Join('\n', lines));
                lock (lines)
                    warning = lines.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
                        .Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("EventId").GetInt32() == 4000);
                await Task.Delay(100);
            }

            Assert.Equal("Warning", warning.Value.GetProperty("LogLevel").GetString());
            Assert.Contains("No chat channel", warning.Value.GetProperty("Message").GetString(), StringComparison.Ordinal);
            lock (lines)
                Assert.All(lines.Where(l => l.Length > 0), l => Assert.StartsWith("{", l, StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
