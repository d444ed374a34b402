using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Channels;

/// <summary>
/// What a channel's <c>Add…</c> method registers once, whether its settings turn it on or not: the channel's name and
/// whether it runs. The host tells the operator which channels run from these; a disabled channel registers nothing else.
/// </summary>
public sealed record ChannelRegistration(string Name, bool Enabled)
{
    /// <summary>Whether a channel of that name was added and is enabled.</summary>
    public static bool IsEnabled(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetServices<ChannelRegistration>().Any(r => r.Enabled && string.Equals(r.Name, name, StringComparison.Ordinal));
    }
}
