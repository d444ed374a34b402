using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Tools.Http;

/// <summary>
/// A configured header value with <c>${env:NAME}</c> references replaced by environment variables, so that a secret
/// stays out of configuration files. Resolved values are never logged; problems name only the variable.
/// </summary>
public static partial class HeaderValue
{
    [GeneratedRegex(@"\$\{env:(?<name>[^}]*)\}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    /// <summary>Resolves the references; <paramref name="problem"/> says what is wrong when the result is null.</summary>
    public static string? Resolve(string template, Func<string, string?> environment, out string? problem)
    {
        problem = null;
        var result = new StringBuilder();
        var last = 0;
        foreach (Match match in Reference().Matches(template))
        {
            var name = match.Groups["name"].Value;
            if (!VariableName().IsMatch(name))
            {
                problem = $"'${{env:{name}}}' does not name an environment variable.";
                return null;
            }

            var value = environment(name);
            if (string.IsNullOrEmpty(value))
            {
                problem = $"the environment variable {name} is not set.";
                return null;
            }

            result.Append(template, last, match.Index - last).Append(value);
            last = match.Index + match.Length;
        }

        result.Append(template, last, template.Length - last);
        if (result.ToString().AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            problem = "the value contains a line break.";
            return null;
        }

        return result.ToString();
    }

    /// <summary>Resolves against the process environment.</summary>
    public static string? Resolve(string template, out string? problem) => Resolve(template, Environment.GetEnvironmentVariable, out problem);

    /// <summary>
    /// The problems of configured headers, one line each, prefixed with <paramref name="key"/> (<c>…:Headers:Name: …</c>):
    /// invalid names, references that do not resolve. Values are never part of a message.
    /// </summary>
    public static IEnumerable<string> Problems(IEnumerable<KeyValuePair<string, string>> headers, string key)
    {
        foreach (var (header, template) in headers)
        {
            if (!IsValidName(header))
                yield return $"{key}:Headers:{header}: not a valid header name.";
            else if (Resolve(template ?? "", out var problem) is null)
                yield return $"{key}:Headers:{header}: {problem}";
        }
    }

    /// <summary>Whether <paramref name="name"/> is a valid HTTP header name (an RFC 9110 token).</summary>
    public static bool IsValidName(string name) => name.Length > 0 && HeaderName().IsMatch(name);

    [GeneratedRegex(@"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex HeaderName();
}
