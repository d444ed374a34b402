namespace Bot.Core.Net;

/// <summary>The one rule for plain http: https everywhere, plain http only to a loopback address (tests, local fakes).</summary>
public static class LoopbackHttp
{
    /// <summary>True for an https URL, or an http one whose host is a loopback address.</summary>
    public static bool IsAllowed(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
    }
}
