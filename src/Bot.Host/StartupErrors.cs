using Microsoft.Extensions.Options;

namespace Bot.Host;

/// <summary>Runs a host and turns invalid configuration into one message that names every key at fault.</summary>
internal static class StartupErrors
{
    public static async Task<int> RunAsync(IHost host, TextWriter error, CancellationToken cancellationToken = default)
    {
        try
        {
            // Validate every section before any service is built, so that all problems are reported together.
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (Failures(ex) is { Count: > 0 } failures)
        {
            await error.WriteLineAsync(Describe(failures)).ConfigureAwait(false);
            return 2;
        }
    }

    /// <summary>The message printed for configuration failures.</summary>
    public static string Describe(IReadOnlyCollection<string> failures) =>
        "The bot cannot start. Fix these settings (environment variables use __ for :, e.g. OpenAI__Model):" +
        string.Concat(failures.Select(f => $"{Environment.NewLine}  - {f}"));

    /// <summary>Every options validation failure inside <paramref name="exception"/>.</summary>
    public static List<string> Failures(Exception exception) => exception switch
    {
        OptionsValidationException options => [.. options.Failures],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Failures).Distinct()],
        _ when exception.InnerException is { } inner => Failures(inner),
        _ => [],
    };
}
