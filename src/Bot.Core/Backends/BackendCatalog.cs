namespace Bot.Core.Backends;

/// <summary>The configured backend for new conversations, and every backend by kind for the ones that exist.</summary>
public sealed class BackendCatalog
{
    private readonly Dictionary<string, IAssistantBackend> _byKind;

    public BackendCatalog(IAssistantBackend current, IEnumerable<IAssistantBackend>? others = null)
    {
        Current = current;
        _byKind = new Dictionary<string, IAssistantBackend>(StringComparer.OrdinalIgnoreCase) { [current.Kind] = current };
        foreach (var backend in others ?? [])
            _byKind.TryAdd(backend.Kind, backend);
    }

    /// <summary>The backend new turns use.</summary>
    public IAssistantBackend Current { get; }

    /// <summary>The backend of the given kind, or null if this process has none.</summary>
    public IAssistantBackend? Find(string kind) => _byKind.GetValueOrDefault(kind);
}
