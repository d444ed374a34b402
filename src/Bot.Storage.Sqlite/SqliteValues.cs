using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Core.Conversations;
using Microsoft.Data.Sqlite;

namespace Bot.Storage.Sqlite;

/// <summary>How .NET values become column values and back: unix milliseconds, enum names, JSON arrays.</summary>
internal static class SqliteValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Adds named parameters: null as NULL, times as unix milliseconds, everything else as it is.</summary>
    public static SqliteCommand Bind(this SqliteCommand command, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        foreach (var (name, value) in values)
            command.Parameters.AddWithValue(name, value switch
            {
                null => DBNull.Value,
                DateTimeOffset time => ToUnixMs(time),
                _ => value,
            });
        return command;
    }

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) => FromUnixMs(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetTimeOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));

    public static TEnum GetEnum<TEnum>(this SqliteDataReader reader, int ordinal)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(reader.GetString(ordinal));

    public static string ToJson(IReadOnlyList<long> ids) =>
        JsonSerializer.Serialize(ids, StoreJsonContext.Default.IReadOnlyListInt64);
}

/// <summary>Source-generated JSON for the store's JSON columns.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<long>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
