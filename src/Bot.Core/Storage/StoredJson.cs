using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Conversations;
using Bot.Core.Places;

namespace Bot.Core.Storage;

/// <summary>
/// The JSON text that every store keeps in its inbox's JSON columns (docs/data.md): a message's attachments and its
/// place path. One shape for every store, of its own (renaming a Core property leaves stored rows readable).
/// </summary>
public static class StoredJson
{
    public static string Attachments(IReadOnlyList<IncomingAttachment> attachments) =>
        JsonSerializer.Serialize(attachments.Select(a => new StoredAttachment(a.FileName, a.ContentType, a.SizeBytes, a.Source)).ToArray(),
            StoredJsonContext.Default.StoredAttachmentArray);

    public static IncomingAttachment[] AttachmentsFrom(string json) =>
        Array.ConvertAll(JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredAttachmentArray) ?? [],
            a => new IncomingAttachment(a.Name, a.ContentType, a.Size, a.Source));

    /// <summary>A list of strings (response ids, moderation categories) as a JSON array.</summary>
    public static string Strings(IReadOnlyList<string> strings) => JsonSerializer.Serialize(strings, StoredJsonContext.Default.IReadOnlyListString);

    public static string[] StringsFrom(string json) => JsonSerializer.Deserialize(json, StoredJsonContext.Default.StringArray) ?? [];

    /// <summary>The place path, outermost first, or null for a message whose adapter named no places.</summary>
    public static string? Places(PlacePath? path) => path is null
        ? null
        : JsonSerializer.Serialize(path.Levels.Select(p => new StoredPlace(p.Id, p.Kind.ToString())).ToArray(),
            StoredJsonContext.Default.StoredPlaceArray);

    /// <summary>
    /// The place path stored by <see cref="Places"/>; null for none, and for a path that cannot be read (an unknown
    /// kind written by a newer version): the message then counts as its conversation alone.
    /// </summary>
    public static PlacePath? PlacesFrom(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        var stored = JsonSerializer.Deserialize(json, StoredJsonContext.Default.StoredPlaceArray) ?? [];
        var levels = new List<Place>(stored.Length);
        foreach (var place in stored)
        {
            if (string.IsNullOrEmpty(place.Id) || !Enum.TryParse<PlaceKind>(place.Kind, out var kind) || !Enum.IsDefined(kind))
                return null;
            levels.Add(new Place(place.Id, kind));
        }

        return levels.Count == 0 ? null : new PlacePath(levels);
    }
}

internal sealed record StoredAttachment(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("contentType")] string? ContentType,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("source")] string Source);

internal sealed record StoredPlace([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("kind")] string Kind);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredAttachment[]))]
[JsonSerializable(typeof(StoredPlace[]))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
