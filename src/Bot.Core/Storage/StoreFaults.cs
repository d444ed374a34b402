using System.Data.Common;
using System.Net.Sockets;

namespace Bot.Core.Storage;

/// <summary>
/// Tells a store that cannot be reached (connection refused or dropped, a timeout, a database that is busy or gone) from
/// a defect: what a channel may retry, or ask the platform to redeliver, rather than drop. Both stores surface their
/// driver's <see cref="DbException"/> (Npgsql, Microsoft.Data.Sqlite), with a socket or I/O error inside for the network.
/// </summary>
public static class StoreFaults
{
    /// <summary>How long a channel asks the platform to wait before it delivers again (HTTP <c>Retry-After</c>).</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>True when <paramref name="exception"/>, or one inside it, says the store is unreachable or unavailable for now.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException or SocketException or IOException)
                return true;
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Any(IsUnavailable))
                return true;
        }

        return false;
    }
}
