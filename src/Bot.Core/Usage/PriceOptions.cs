using System.Globalization;
using Bot.Core.Backends;
using Bot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bot.Core.Usage;

/// <summary>One model's prices in US dollars per million tokens.</summary>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion, decimal CachedInputPerMillion)
{
    /// <summary>(input − cached) × input price + cached × cached price + output × output price, per million tokens.</summary>
    public decimal Cost(TokenUsage usage)
    {
        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        return ((usage.InputTokens - cached) * InputPerMillion + cached * CachedInputPerMillion + usage.OutputTokens * OutputPerMillion) / 1_000_000m;
    }
}

/// <summary>
/// Model prices for the estimated cost of <c>/usage</c> (configuration <c>OpenAI:Prices:{model}:InputPerMillion</c>,
/// <c>OutputPerMillion</c>, <c>CachedInputPerMillion</c>; the cached price defaults to the input price). None configured:
/// no cost is shown. A value that is not a number of 0 or more stops the start, named by its key.
/// </summary>
public sealed class PriceOptions
{
    public const string SectionName = "OpenAI:Prices";

    private const string Input = "InputPerMillion";
    private const string Output = "OutputPerMillion";
    private const string CachedInput = "CachedInputPerMillion";

    /// <summary>Prices by model name (case-insensitive).</summary>
    public IDictionary<string, ModelPrice> Models { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong in the section, one sentence per key at fault (checked at start).</summary>
    public IList<string> Errors { get; } = [];

    /// <summary>
    /// The estimated cost of usage of several models, or null when no prices are configured or a model used (with
    /// tokens) has none.
    /// </summary>
    public decimal? Cost(IEnumerable<(string Model, TokenUsage Usage)> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        if (Models.Count == 0)
            return null;
        var total = 0m;
        foreach (var (model, tokens) in usage)
        {
            if (tokens.TotalTokens == 0)
                continue;
            if (!Models.TryGetValue(model, out var price))
                return null;
            total += price.Cost(tokens);
        }

        return total;
    }

    /// <summary>Reads <c>OpenAI:Prices</c> of <paramref name="configuration"/> (the root) into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, PriceOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var model in configuration.GetSection(SectionName).GetChildren())
        {
            var key = SectionName + ":" + model.Key;
            foreach (var child in model.GetChildren())
            {
                if (child.Key is not (Input or Output or CachedInput))
                    options.Errors.Add($"{key}:{child.Key}: unknown price; use {Input}, {Output} and {CachedInput}.");
            }

            var input = Price(model, Input, key, required: true, options.Errors);
            var output = Price(model, Output, key, required: true, options.Errors);
            var cached = Price(model, CachedInput, key, required: false, options.Errors);
            if (input is { } i && output is { } o)
                options.Models[model.Key] = new ModelPrice(i, o, cached ?? i);
        }
    }

    // The price, or null (with the sentence that names the key when it is wrong, or missing and required).
    private static decimal? Price(IConfigurationSection model, string name, string key, bool required, IList<string> errors)
    {
        if (model[name] is not { } raw)
        {
            if (required)
                errors.Add($"{key}:{name}: required (US dollars per million tokens), such as 0.4.");
            return null;
        }

        if (decimal.TryParse(raw.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price) && price >= 0)
            return price;
        errors.Add($"{key}:{name}: '{raw}' is not a price; write a number of 0 or more (US dollars per million tokens), such as 0.4.");
        return null;
    }
}

/// <summary>Stops the start when <c>OpenAI:Prices</c> has a key at fault, naming every one.</summary>
internal sealed class PriceOptionsValidator : IValidateOptions<PriceOptions>
{
    public ValidateOptionsResult Validate(string? name, PriceOptions options) =>
        options.Errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Errors);
}

/// <summary>Costs of the ledger's usage per model.</summary>
public static class UsageCosts
{
    /// <summary>The estimated cost of a day and of its month, from usage per model.</summary>
    public static (decimal? Day, decimal? Month) Of(PriceOptions prices, IReadOnlyList<ModelUsage> models)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(models);
        return (prices.Cost(models.Select(m => (m.Model, m.Day))), prices.Cost(models.Select(m => (m.Model, m.Month))));
    }
}
