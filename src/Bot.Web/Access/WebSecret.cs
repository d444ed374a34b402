using System.Security.Cryptography;
using System.Text;
using Bot.Core.Storage;

namespace Bot.Web.Access;

/// <summary>
/// A random 256-bit secret of this bot's web chat, made once and kept in the store (so a restart, or another
/// instance on the same database, uses the same one). It signs the access cookie and names a visitor's first thread.
/// </summary>
internal sealed class WebSecret(IBotSecrets secrets)
{
    // The secret's name in the store; SQLite's migration 3 moved the old "web:secret" value under it.
    private const string SecretName = "web-chat";
    private const int SecretBytes = 32;

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
        // The store keeps the first secret stored: two instances starting at once on one database both get that one.
        var secret = await secrets.GetOrAddSecretAsync(SecretName, RandomNumberGenerator.GetBytes(SecretBytes), CancellationToken.None)
            .ConfigureAwait(false);
        return secret.Length == SecretBytes
            ? secret
            : throw new InvalidOperationException($"The store keeps a web chat secret of {secret.Length} bytes instead of {SecretBytes}.");
    }
}
