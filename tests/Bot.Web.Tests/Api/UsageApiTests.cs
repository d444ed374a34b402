using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bot.Testing.OpenAI;

namespace Bot.Web.Tests.Api;

/// <summary>GET /api/usage: the visitor's own usage, behind the same access and host checks as the rest of the API.</summary>
public sealed class UsageApiTests
{
    private const string Key = "key-for-the-test-0123";

    [Fact]
    public async Task WithoutTheAccessKey_UsageIsRefused()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Web:AccessKeys:0"] = Key }, System.Net.IPAddress.Parse("203.0.113.7"));
        using var visitor = bed.Host.Visitor();

        using var response = await visitor.GetAsync("/api/usage");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("access_key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AfterATurn_UsageShowsTheVisitorsTokens_WhatIsLeft_AndTheReset_AndOnlyTheirs()
    {
        await using var bed = await TestBed.StartAsync(new Dictionary<string, string?> { ["Budgets:PerUserDailyTokens"] = "100" });
        bed.OpenAI.Enqueue(FakeResponse.Stream().Text("Hi.").Usage(15, 6));
        using var visitor = bed.Host.Visitor();
        using var other = bed.Host.Visitor();
        var thread = await visitor.ThreadAsync();
        using var events = await visitor.EventsAsync(thread);
        await visitor.SendOkAsync(thread, "hello");
        await events.WaitForAsync("done");

        var usage = await UsageAsync(visitor);
        var others = await UsageAsync(other);

        var today = usage.GetProperty("today");
        Assert.Equal((21, 1, 100, 79), (today.GetProperty("tokens").GetInt64(), today.GetProperty("turns").GetInt64(),
            today.GetProperty("limit").GetInt64(), today.GetProperty("remaining").GetInt64()));
        Assert.Equal(DateTime.UtcNow.Date.AddDays(1), today.GetProperty("resetsAt").GetDateTimeOffset().UtcDateTime);
        Assert.Equal(JsonValueKind.Null, today.GetProperty("estimatedCost").ValueKind);
        var month = usage.GetProperty("month");
        Assert.Equal((21, 0), (month.GetProperty("tokens").GetInt64(), month.GetProperty("limit").GetInt64()));
        Assert.Equal(JsonValueKind.Null, month.GetProperty("remaining").ValueKind);
        Assert.Equal(0, others.GetProperty("today").GetProperty("tokens").GetInt64());
    }

    private static async Task<JsonElement> UsageAsync(WebChatClient visitor)
    {
        using var response = await visitor.GetAsync("/api/usage");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
