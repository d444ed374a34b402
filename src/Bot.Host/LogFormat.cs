namespace Bot.Host;

/// <summary><c>Logging:Format=json</c>: one JSON object per line from the built-in JSON console formatter, with scopes (turn id, channel).</summary>
internal static class LogFormat
{
    public static ILoggingBuilder UseConfiguredFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        return logging;
    }
}
