namespace Bot.OpenAI;

internal sealed partial class OpenAIOptionsValidator
{
    // A model name is sent as is: an empty one, or one with spaces or control characters, is a typo, not a model.
    private static void ValidateAllowedModels(OpenAIOptions options, List<string> errors)
    {
        for (var i = 0; i < options.AllowedModels.Count; i++)
        {
            var model = options.AllowedModels[i];
            if (string.IsNullOrWhiteSpace(model))
                errors.Add($"OpenAI:AllowedModels:{i}: empty; name a model or remove the entry.");
            else if (model.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                errors.Add($"OpenAI:AllowedModels:{i}: '{model.Trim()}' is not a model name (it contains spaces or control characters).");
        }
    }
}
