using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;

namespace Bot.Web.Access;

/// <summary>
/// A random 256-bit secret of this bot's web chat, made once and kept in the store (so a restart, or another
/// instance on the same database, uses the same one). It signs the access cookie and names a visitor's first thread.
/// </summary>
internal sealed class WebSecret(IConversationStore store)
{
    private const string StoreKey = "web:secret";

    private readonly Lock _lock = new();
    private Task<byte[]>? _loading;

    /// <summary>Reads the secret, or makes and stores it on the first start, so that serving a visitor never writes.</summary>
    public Task LoadAsync(CancellationToken cancellationToken = default) => LoadOnceAsync().WaitAsync(cancellationToken);

    /// <summary>HMAC-SHA256 of <paramref name="purpose"/> and <paramref name="value"/> under the secret.</summary>
    public async Task<byte[]> SignAsync(string purpose, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var secret = await LoadOnceAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var purposeBytes = Encoding.UTF8.GetBytes(purpose + "\n");
        var data = new byte[purposeBytes.Length + value.Length];
        purposeBytes.CopyTo(data, 0);
        value.Span.CopyTo(data.AsSpan(purposeBytes.Length));
        return HMACSHA256.HashData(secret, data);
    }

    private Task<byte[]> LoadOnceAsync()
    {
        lock (_lock)
        {
            // A store that failed once is asked again next time.
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
                _loading = ReadOrCreateAsync();
            return _loading;
        }
    }

    private async Task<byte[]> ReadOrCreateAsync()
    {
        if (Decode(await store.GetValueAsync(StoreKey, CancellationToken.None).ConfigureAwait(false)) is { } known)
            return known;
        await store.SetValueAsync(StoreKey, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), CancellationToken.None).ConfigureAwait(false);
        // Read back: two instances starting at once on one database both end up with the value the store kept.
        return Decode(await store.GetValueAsync(StoreKey, CancellationToken.None).ConfigureAwait(false))
            ?? throw new InvalidOperationException("The store did not keep the web chat's secret.");
    }

    private static byte[]? Decode(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
            return null;
        var buffer = new byte[32];
        return Convert.TryFromBase64String(stored, buffer, out var written) && written == 32 ? buffer : null;
    }
}
