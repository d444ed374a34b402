using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Bot.Core.Moderation;

namespace Bot.OpenAI;

/// <summary>
/// <see cref="IInputModeration"/> on POST /moderations, through the backends' pipeline (endpoint, key, retries, network
/// timeout). The request goes as JSON of our own and the answer is read by name, so that every category the endpoint
/// reports, new ones included, is kept as the API spells it. Texts go together in one request (an array of strings, one
/// result each); an image goes in a request of its own as multi-modal input (an <c>image_url</c> part with a base64 data
/// URL, after its text part if it has one), which the endpoint answers with one result for all its parts.
/// </summary>
internal sealed class OpenAIInputModeration(OpenAIClients clients) : IInputModeration
{
    public async Task<IReadOnlyList<ModerationVerdict>> CheckAsync(IReadOnlyList<ModerationInput> inputs, string model,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var verdicts = new ModerationVerdict[inputs.Count];
        var texts = new List<int>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].HasImage)
                verdicts[i] = (await ClassifyAsync(model, ImageBody(model, inputs[i]), 1, cancellationToken).ConfigureAwait(false))[0];
            else if (inputs[i].Text is not null)
                texts.Add(i);
            else
                verdicts[i] = ModerationVerdict.Clean;
        }

        if (texts.Count > 0)
        {
            var body = BinaryData.FromObjectAsJson(new { model, input = texts.Select(i => inputs[i].Text).ToArray() });
            var textVerdicts = await ClassifyAsync(model, body, texts.Count, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < texts.Count; j++)
                verdicts[texts[j]] = textVerdicts[j];
        }

        return verdicts;
    }

    // {"model":"…","input":[{"type":"text","text":"…"},{"type":"image_url","image_url":{"url":"data:image/png;base64,…"}}]}
    private static BinaryData ImageBody(string model, ModerationInput input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            writer.WriteStartArray("input");
            if (!string.IsNullOrEmpty(input.Text))
            {
                writer.WriteStartObject();
                writer.WriteString("type", "text");
                writer.WriteString("text", input.Text);
                writer.WriteEndObject();
            }

            writer.WriteStartObject();
            writer.WriteString("type", "image_url");
            writer.WriteStartObject("image_url");
            writer.WriteString("url", $"data:{input.ImageMediaType};base64,{Convert.ToBase64String(input.Image!.Value.Span)}");
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return new BinaryData(buffer.ToArray());
    }

    private async Task<List<ModerationVerdict>> ClassifyAsync(string model, BinaryData body, int expected, CancellationToken cancellationToken)
    {
        ClientResult result;
        try
        {
            result = await clients.Moderations(model).ClassifyTextAsync(BinaryContent.Create(body),
                new RequestOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
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
            if (verdicts.Count != expected)
                throw new ModerationUnavailableException($"The moderation endpoint returned {verdicts.Count} results for {expected} inputs.");
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
