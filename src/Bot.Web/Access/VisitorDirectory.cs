using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;
using Bot.Web.Threads;
using Microsoft.AspNetCore.Http;

namespace Bot.Web.Access;

/// <summary>
/// Binds visitors to their threads. A visitor is a random id in an HttpOnly cookie; the store keeps, by a
/// hash of that id, the visitor's current thread and the owner of every thread, so a restart changes nothing
/// and one visitor can never reach another's thread.
/// </summary>
internal sealed class VisitorDirectory(IConversationStore store)
{
    public const string Cookie = "bot_web_visitor";
    private const string ItemKey = "Bot.Web.Visitor";

    private readonly ConcurrentDictionary<string, string> _owners = new(StringComparer.Ordinal);

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
        }

        var hashed = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(id)))[..32];
        context.Items[ItemKey] = hashed;
        return hashed;
    }

    /// <summary>The visitor's current thread, started when they have none.</summary>
    public async Task<string> CurrentThreadAsync(string visitor, CancellationToken cancellationToken = default)
    {
        var thread = await store.GetValueAsync(VisitorKey(visitor), cancellationToken).ConfigureAwait(false);
        return WebThreadStore.IsThreadId(thread) ? thread! : await NewThreadAsync(visitor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a new thread for the visitor and makes it their current one.</summary>
    public async Task<string> NewThreadAsync(string visitor, CancellationToken cancellationToken = default)
    {
        var thread = WebThreadStore.NewThreadId();
        await store.SetValueAsync(OwnerKey(thread), visitor, cancellationToken).ConfigureAwait(false);
        await store.SetValueAsync(VisitorKey(visitor), thread, cancellationToken).ConfigureAwait(false);
        _owners[thread] = visitor;
        return thread;
    }

    /// <summary>Takes a thread away from its visitor (New conversation): it answers as if it never existed.</summary>
    public async Task ForgetAsync(string thread, CancellationToken cancellationToken = default)
    {
        _owners[thread] = "";
        await store.SetValueAsync(OwnerKey(thread), "", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the thread belongs to the visitor.</summary>
    public async Task<bool> OwnsAsync(string visitor, string thread, CancellationToken cancellationToken = default)
    {
        if (!WebThreadStore.IsThreadId(thread))
            return false;
        if (!_owners.TryGetValue(thread, out var owner))
        {
            owner = await store.GetValueAsync(OwnerKey(thread), cancellationToken).ConfigureAwait(false);
            if (owner is null)
                return false;
            _owners[thread] = owner;
        }

        return owner.Length > 0 && string.Equals(owner, visitor, StringComparison.Ordinal);
    }

    private static string VisitorKey(string visitor) => $"web:visitor:{visitor}";

    private static string OwnerKey(string thread) => $"web:thread:{thread}:owner";
}
