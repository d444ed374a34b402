using Microsoft.AspNetCore.Http;

namespace Bot.Web.Api;

/// <summary>The API's error body: one sentence for the person at the page, and a code for scripts.</summary>
internal sealed record WebApiError(string Error, string Code)
{
    public static IResult Result(int status, string code, string error) => Results.Json(new WebApiError(error, code), Threads.WebJson.Options, statusCode: status);
}
