using Npgsql;

namespace Bot.Storage.Postgres;

/// <summary>
/// How .NET values become column values and back, as in the SQLite store (docs/data.md): times as unix milliseconds in
/// <c>bigint</c> columns named <c>*_at_ms</c>, enums by name, lists as JSON text, days as <c>date</c>.
/// </summary>
internal static class PostgresValues
{
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary>Adds parameters by name (<c>@name</c> in the text): null as NULL, times as unix milliseconds.</summary>
    public static NpgsqlCommand Bind(this NpgsqlCommand command, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        foreach (var (name, value) in values)
            command.Parameters.Add(Parameter(name, value));
        return command;
    }

    public static NpgsqlBatchCommand Bind(this NpgsqlBatchCommand command, params ReadOnlySpan<(string Name, object? Value)> values)
    {
        foreach (var (name, value) in values)
            command.Parameters.Add(Parameter(name, value));
        return command;
    }

    private static NpgsqlParameter Parameter(string name, object? value) => value switch
    {
        null => new NpgsqlParameter(name, DBNull.Value),
        DateTimeOffset time => new NpgsqlParameter<long>(name, ToUnixMs(time)),
        _ => new NpgsqlParameter(name, value),
    };

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetInt64OrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset GetTime(this NpgsqlDataReader reader, int ordinal) => FromUnixMs(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));

    public static TEnum GetEnum<TEnum>(this NpgsqlDataReader reader, int ordinal)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(reader.GetString(ordinal));
}
