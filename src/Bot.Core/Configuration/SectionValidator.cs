using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Bot.Core.Configuration;

/// <summary>
/// Validates an options class by its data annotations and names each failure by its configuration key
/// ("Conversations:MaxConcurrentTurns: …"), so that the host can print every problem in one message.
/// </summary>
public sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
