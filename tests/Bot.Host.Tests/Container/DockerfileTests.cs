using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Bot.Host.Tests.Telemetry;
using Bot.Testing;
using Bot.Testing.OpenAI;

namespace Bot.Host.Tests.Container;

/// <summary>
/// No Docker engine here: this runs what the Dockerfile runs. Its publish step into a temp folder, then the published
/// app started with the runtime stage's entrypoint, environment and working directory (the /data volume mapped to a
/// temp folder, a free port, the web chat on with the fake OpenAI), until <c>/healthz/ready</c> answers 200 JSON and the
/// HEALTHCHECK command exits 0. Publishing is slow, so it is this one test.
/// </summary>
public sealed class DockerfileTests
{
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task PublishedAsTheDockerfileSays_TheEntrypointServesReady_AndTheHealthcheckCommandAgrees()
    {
        var root = RepositoryRoot();
        var dockerfile = Dockerfile.Parse(await File.ReadAllTextAsync(Path.Combine(root, "Dockerfile")));
        Assert.Equal("/app", dockerfile.RuntimeWorkDir);
        Assert.Equal(["dotnet", "Bot.Host.dll"], dockerfile.Entrypoint);
        Assert.Equal(["dotnet", "Bot.Host.dll", "healthcheck"], dockerfile.HealthCheck);
        Assert.Equal("$APP_UID", dockerfile.User);
        Assert.Contains("/data", dockerfile.Volumes);
        Assert.Equal("/data/bot.db", dockerfile.Environment["Storage__Sqlite__Path"]);
        Assert.DoesNotContain(dockerfile.PublishCommand, a => a.Contains("test", StringComparison.OrdinalIgnoreCase));

        using var folder = new TempDirectory();
        var app = Path.Combine(folder.Path, "app");
        var data = Path.Combine(folder.Path, "data");
        Directory.CreateDirectory(data);

        // The publish step, as written, with its output folder (the runtime stage's /app) in the temp folder.
        var publish = dockerfile.PublishCommand.ToList();
        var output = publish.IndexOf("-o");
        Assert.True(output > 0 && publish[output + 1] == dockerfile.RuntimeWorkDir, "the publish step writes the runtime stage's WORKDIR");
        publish[output + 1] = app;
        var (exitCode, log) = await RunAsync(publish, root, new Dictionary<string, string>(), s_publishTimeout);
        Assert.True(exitCode == 0, $"publish failed: {log}");
        Assert.True(File.Exists(Path.Combine(app, "Bot.Host.dll")));
        Assert.False(File.Exists(Path.Combine(app, "Bot.Host.Tests.dll")), "tests stay out of the image");

        // The runtime stage's environment, with /data in the temp folder and the listening port free.
        await using var openAI = await FakeOpenAIServer.StartAsync();
        var port = LoopbackHost.FreePort();
        var environment = dockerfile.Environment.ToDictionary(
            e => e.Key, e => e.Value.StartsWith("/data", StringComparison.Ordinal) ? data + e.Value["/data".Length..] : e.Value);
        Assert.Equal("http://0.0.0.0:8080", environment["ASPNETCORE_URLS"]);
        environment["ASPNETCORE_URLS"] = $"http://0.0.0.0:{port}";
        environment["OPENAI_API_KEY"] = FakeOpenAIServer.ApiKey;
        environment["OPENAI_BASE_URL"] = openAI.BaseUri.ToString().TrimEnd('/');
        environment["Web__Enabled"] = "true";

        var output2 = new StringBuilder();
        using var bot = Start(dockerfile.Entrypoint, app, environment, output2);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            string? body = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (body is null)
            {
                Assert.False(bot.HasExited, $"the bot exited: {output2}");
                Assert.True(DateTime.UtcNow < deadline, $"ready never answered 200: {output2}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
                    if (response.StatusCode == HttpStatusCode.OK)
                        body = await response.Content.ReadAsStringAsync();
                }
                catch (HttpRequestException)
                {
                }

                if (body is null)
                    await Task.Delay(200);
            }

            var report = JsonDocument.Parse(body).RootElement;
            Assert.Equal("Healthy", report.GetProperty("status").GetString());
            Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
            Assert.True(File.Exists(Path.Combine(data, "bot.db")), "the database lives in the /data volume");

            var (healthy, healthLog) = await RunAsync(dockerfile.HealthCheck, app, environment, TimeSpan.FromMinutes(1));
            Assert.True(healthy == 0, $"the HEALTHCHECK command failed: {healthLog}");
        }
        finally
        {
            if (!bot.HasExited)
                bot.Kill(entireProcessTree: true);
            await bot.WaitForExitAsync();
        }

        // With the bot gone, the same command reports it.
        var (gone, _) = await RunAsync(dockerfile.HealthCheck, app, environment, TimeSpan.FromMinutes(1));
        Assert.Equal(1, gone);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Bot.sln")) && File.Exists(Path.Combine(dir.FullName, "Dockerfile")))
                return dir.FullName;
        }

        throw new InvalidOperationException("The repository root (Bot.sln and Dockerfile) was not found above " + AppContext.BaseDirectory);
    }

    private static Process Start(IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        StringBuilder output)
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> command, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = Start(command, workingDirectory, environment, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} took longer than {timeout}: {output}");
        }

        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
