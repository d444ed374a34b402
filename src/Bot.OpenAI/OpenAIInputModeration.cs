using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Bot.Core.Moderation;

namespace Bot.OpenAI;

/// <summary>
/// <see cref="IInputModeration"/> on POST /moderations, through the backends' pipeline (endpoint, key, retries, network
/// timeout). The request goes as JSON of our own (an array of strings, one result per message) and the answer is read
/// by name, so that every category the endpoint reports, new ones included, is kept as the API spells it.
/// </summary>
internal sealed class OpenAIInputModeration(OpenAIClients clients) : IInputModeration
{
    public async Task<IReadOnlyList<ModerationVerdict>> CheckAsync(IReadOnlyList<string> texts, string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (texts.Count == 0)
            return [];

        var body = BinaryContent.Create(BinaryData.FromObjectAsJson(new { model, input = texts }));
        ClientResult result;
        try
        {
            result = await clients.Moderations(model).ClassifyTextAsync(body, new RequestOptions { CancellationToken = cancellationToken })
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ClientResultException or HttpRequestException or IOException or OperationCanceledException)
        {
            // OperationCanceledException here is the client's network timeout, not the caller's cancellation.
            throw new ModerationUnavailableException($"The moderation request failed: {ex.Message}", ex);
        }

        try
        {
            var verdicts = Read(result.GetRawResponse().Content);
            if (verdicts.Count != texts.Count)
                throw new ModerationUnavailableException($"The moderation endpoint returned {verdicts.Count} results for {texts.Count} inputs.");
            return verdicts;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new ModerationUnavailableException("The moderation endpoint's answer could not be read.", ex);
        }
    }

    private static List<ModerationVerdict> Read(BinaryData content)
    {
        using var document = JsonDocument.Parse(content);
        var verdicts = new List<ModerationVerdict>();
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            var categories = new List<string>();
            if (result.TryGetProperty("categories", out var flags) && flags.ValueKind == JsonValueKind.Object)
            {
                foreach (var category in flags.EnumerateObject())
                {
                    // A null is a category the model does not judge for this input.
                    if (category.Value.ValueKind == JsonValueKind.True)
                        categories.Add(IsPlainName(category.Name) ? category.Name : "other");
                }
            }

            verdicts.Add(new ModerationVerdict(result.GetProperty("flagged").GetBoolean(), categories));
        }

        return verdicts;
    }

    // Names go to logs, the store and a Discord notice: a name the API would not send (markup, mentions, control
    // characters, a very long string) is kept only as "other".
    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '-' or '_');
}
