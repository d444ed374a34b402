using System.Net;
using Bot.Testing;
using Bot.Testing.OpenAI;
using Microsoft.Extensions.Options;

namespace Bot.Web.Tests.Api;

public sealed class RegistrationTests
{
    [Fact]
    public async Task WhenNotEnabled_NeitherThePageNorTheApiIsServed()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:Enabled"] = "false" });
        using var visitor = bed.Host.Visitor();

        using var page = await visitor.GetAsync("/");
        using var session = await visitor.GetAsync("/api/session");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, session.StatusCode);
    }

    [Fact]
    public async Task AShortAccessKey_StopsTheStart_NamingTheKey()
    {
        await using var openAI = await FakeOpenAIServer.StartAsync();
        using var directory = new TempDirectory();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            WebChatHost.StartAsync(openAI, directory.Path, new Dictionary<string, string?> { ["Web:AccessKeys:0"] = "short" }));

        Assert.Contains("Web:AccessKeys: every access key must be at least 12 characters long", error.Message, StringComparison.Ordinal);
    }
}
