using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Access;

/// <summary>
/// Binds visitors to their threads. A visitor is a random id in an HttpOnly cookie; the store keeps, by a hash of that
/// id, the visitor's current thread and the owner of every thread, so a restart changes nothing and one visitor can
/// never reach another's thread. Nothing is written for a visitor who has not sent anything: their first thread's id
/// is derived from their id and the bot's secret, and it is bound to them in the store with their first message. So
/// opening the page (even without a cookie, again and again) costs no store row and no memory.
/// </summary>
internal sealed class VisitorDirectory
{
    public const string Cookie = "bot_web_visitor";
    private const string ItemKey = "Bot.Web.Visitor";
    private const string NewItemKey = "Bot.Web.NewVisitor";

    // In the cache below, a thread that was given up (released in the store) is no one's: an empty owner.
    private const string Released = "";

    // Owners read from or written to the store; only bound threads are cached, so this grows with real conversations only.
    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);
    private readonly IVisitorSessions _sessions;
    private readonly WebSecret _secret;

    public VisitorDirectory(IVisitorSessions sessions, WebSecret secret, WebThreadStore threads)
    {
        _sessions = sessions;
        _secret = secret;
        // A thread given up on another instance: its owner is read from the store again.
        threads.ReplacedElsewhere += thread => _owners.TryRemove(thread, out _);
    }

    /// <summary>The visitor of this request (hashed), giving them a new id cookie when they have none.</summary>
    public static string Visitor(HttpContext context)
    {
        if (context.Items[ItemKey] is string known)
            return known;
        var id = context.Request.Cookies[Cookie];
        if (id is null || id.Length != 32 || !id.All(char.IsAsciiHexDigitLower))
        {
            id = WebThreadStore.NewId(16);
            context.Response.Cookies.Append(Cookie, id, AccessGate.Cookie(context, TimeSpan.FromDays(365)));
            context.Items[NewItemKey] = true;
        }

        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id)))[..32];
        context.Items[ItemKey] = hashed;
        return hashed;
    }

    /// <summary>The visitor's current thread: the one a reset gave them, or else their first one. Writes nothing.</summary>
    public async Task<string> CurrentThreadAsync(HttpContext context, string visitor, CancellationToken cancellationToken = default)
    {
        if (context.Items[NewItemKey] is not true &&
            await _sessions.FindCurrentThreadAsync(visitor, cancellationToken).ConfigureAwait(false) is { } current && WebThreadStore.IsThreadId(current))
            return current;
        return await FirstThreadAsync(visitor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that the thread is the visitor's (their first message in it); nothing happens when it already is.</summary>
    public async Task ClaimAsync(string visitor, string thread, CancellationToken cancellationToken = default)
    {
        if (_owners.TryGetValue(thread, out var owner) && owner == visitor)
            return;
        await _sessions.ClaimThreadAsync(thread, visitor, cancellationToken).ConfigureAwait(false);
        _owners[thread] = visitor;
    }

    /// <summary>Gives the visitor a new current thread (New conversation); it is bound when they write in it.</summary>
    public async Task<string> NewThreadAsync(string visitor, CancellationToken cancellationToken = default)
    {
        var thread = WebThreadStore.NewThreadId();
        await _sessions.SetCurrentThreadAsync(visitor, thread, cancellationToken).ConfigureAwait(false);
        return thread;
    }

    /// <summary>Takes a thread away from its visitor (New conversation): it answers as if it never existed.</summary>
    public async Task ForgetAsync(string visitor, string thread, CancellationToken cancellationToken = default)
    {
        // An unbound thread other than the first one is no one's once the visitor's current thread moved on.
        var bound = await OwnerAsync(thread, cancellationToken).ConfigureAwait(false) is { Length: > 0 };
        if (!bound && thread != await FirstThreadAsync(visitor, cancellationToken).ConfigureAwait(false))
            return;
        _owners[thread] = Released;
        await _sessions.ReleaseThreadAsync(thread, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the thread belongs to the visitor.</summary>
    public async Task<bool> OwnsAsync(string visitor, string thread, CancellationToken cancellationToken = default)
    {
        if (!WebThreadStore.IsThreadId(thread))
            return false;
        if (await OwnerAsync(thread, cancellationToken).ConfigureAwait(false) is { } owner)
            return owner.Length > 0 && string.Equals(owner, visitor, StringComparison.Ordinal);

        // Not bound yet: the visitor's first thread, or the new one a reset gave them.
        return thread == await FirstThreadAsync(visitor, cancellationToken).ConfigureAwait(false) ||
               thread == await _sessions.FindCurrentThreadAsync(visitor, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> OwnerAsync(string thread, CancellationToken cancellationToken)
    {
        if (_owners.TryGetValue(thread, out var owner))
            return owner;
        var ownership = await _sessions.FindThreadOwnerAsync(thread, cancellationToken).ConfigureAwait(false);
        if (ownership is null)
            return null;
        owner = ownership.VisitorId ?? Released;
        _owners[thread] = owner;
        return owner;
    }

    private async Task<string> FirstThreadAsync(string visitor, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await _secret.SignAsync("first-thread", Encoding.ASCII.GetBytes(visitor), cancellationToken).ConfigureAwait(false))[..16];
}
