namespace Bot.OpenAI;

/// <summary>What a place may choose (<c>Places:*</c>, admin commands): the models besides <see cref="Model"/>.</summary>
public sealed partial class OpenAIOptions
{
    /// <summary>
    /// Models a place may use instead of <see cref="Model"/> (<c>OpenAI:AllowedModels</c>); the configured model is always
    /// allowed. Empty: only <see cref="Model"/>.
    /// </summary>
    public List<string> AllowedModels { get; set; } = [];

    /// <summary>The models a place may choose: <see cref="Model"/> first, then <see cref="AllowedModels"/> without repeats.</summary>
    internal IReadOnlyList<string> ModelChoices()
    {
        var choices = new List<string> { Model };
        foreach (var model in AllowedModels)
        {
            var name = model?.Trim();
            if (!string.IsNullOrEmpty(name) && !choices.Contains(name, StringComparer.Ordinal))
                choices.Add(name);
        }

        return choices;
    }
}
