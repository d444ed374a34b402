using System.Net;
using System.Text;
using Bot.Testing.Teams;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// Issue 10, point 2: /api/messages checks the Authorization header and the declared size before it reads the body,
/// and stops reading a streamed (chunked) body at <c>Teams:MaxActivityBytes</c>.
/// </summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private TeamsHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await TeamsHarness.StartAsync(new Dictionary<string, string?>
    {
        ["Teams:MaxActivityBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Theory]
    [InlineData("Bearer x")]
    [InlineData("Bearer")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData(null)]
    public async Task BadAuthorization_WithALargeStreamedBody_Is401_BeforeAnyOfTheBodyIsRead(string? authorization)
    {
        var upload = await RawUpload.SendAsync(_bot.Http.BaseAddress!, authorization, total: 64 * 1024 * 1024, declareLength: false);

        Assert.Equal(401, upload.Status);
        Assert.Equal(0, await BodyReadAsync());
        Assert.True(upload.Written < upload.Total, "the client was answered before it sent the whole body");
    }

    [Fact]
    public async Task TokenThatFailsValidation_Is401_BeforeAnyOfTheBodyIsRead()
    {
        var expired = _bot.Teams.CreateToken(new TokenSpec { NotBefore = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddHours(-1) });

        var upload = await RawUpload.SendAsync(_bot.Http.BaseAddress!, $"Bearer {expired}", total: 64 * 1024 * 1024, declareLength: false);

        Assert.Equal(401, upload.Status);
        Assert.Equal(0, await BodyReadAsync());
    }

    [Fact]
    public async Task StreamedBodyPastTheLimit_Is413_AndTheBotStopsReadingAtTheLimit()
    {
        var upload = await RawUpload.SendAsync(_bot.Http.BaseAddress!, $"Bearer {_bot.Teams.CreateToken()}", total: 64 * 1024 * 1024, declareLength: false);

        Assert.Equal(413, upload.Status);
        // Kestrel may refuse the body before handing the endpoint a byte of it (it parses what already arrived).
        Assert.InRange(await BodyReadAsync(), 0, Limit + 1);
        Assert.True(upload.Written < upload.Total, "the client was answered before it sent the whole body");
    }

    [Fact]
    public async Task DeclaredLengthPastTheLimit_Is413_WithoutReadingTheBody()
    {
        var upload = await RawUpload.SendAsync(_bot.Http.BaseAddress!, $"Bearer {_bot.Teams.CreateToken()}", total: 8 * 1024 * 1024, declareLength: true);

        Assert.Equal(413, upload.Status);
        Assert.Equal(0, await BodyReadAsync());
    }

    [Fact]
    public async Task ActivityJustUnderTheLimit_IsAccepted()
    {
        var activity = Activities.Personal(_bot.Teams.ServiceUrl, "padded");
        activity["padding"] = new string('x', Limit - activity.ToJsonString().Length - 32);
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");

        var response = await PostAsync(content, $"Bearer {_bot.Teams.CreateToken()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostAsync(HttpContent content, string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await _bot.Http.SendAsync(request);
    }

    // The harness records a request's count when its pipeline ends, which may be just after the client saw the answer.
    private async Task<long> BodyReadAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_bot.BodyBytesRead.Count == 0)
            await Task.Delay(20, deadline.Token);
        return Assert.Single(_bot.BodyBytesRead);
    }
}
