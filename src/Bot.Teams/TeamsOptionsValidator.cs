using Bot.Core.Net;
using Microsoft.Extensions.Options;

namespace Bot.Teams;

/// <summary>Checks the Teams settings at start (the channel is enabled: it is registered only then) and names each problem by its key.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var errors = new List<string>();
        if (options.Authenticated)
        {
            if (options.AppType != TeamsAppType.UserAssignedMsi && string.IsNullOrWhiteSpace(options.AppPassword))
                errors.Add("Teams:AppPassword: missing (the client secret of the app registration).");
            if (options.AppType == TeamsAppType.UserAssignedMsi && !string.IsNullOrWhiteSpace(options.AppPassword))
                errors.Add("Teams:AppPassword: must be empty for UserAssignedMsi.");
            if (options.AppType != TeamsAppType.MultiTenant && string.IsNullOrWhiteSpace(options.TenantId))
                errors.Add($"Teams:TenantId: required for {options.AppType}.");
        }

        CheckUrl(errors, "Teams:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        CheckUrl(errors, "Teams:EntraOpenIdMetadataUrl", options.EntraOpenIdMetadataUrl);
        CheckUrl(errors, "Teams:LoginEndpoint", options.LoginEndpoint);
        if (!string.IsNullOrWhiteSpace(options.ManagedIdentityEndpoint))
            CheckUrl(errors, "Teams:ManagedIdentityEndpoint", options.ManagedIdentityEndpoint);
        if (options.MaxMessageCharacters is < 1000 or > 40_000)
            errors.Add("Teams:MaxMessageCharacters: must be between 1000 and 40000.");
        if (options.MaxInlineImageBytes is < 0 or > 4 * 1024 * 1024)
            errors.Add("Teams:MaxInlineImageBytes: must be between 0 and 4 MB.");
        if (options.EditInterval < TimeSpan.FromMilliseconds(200) || options.EditInterval > TimeSpan.FromMinutes(1))
            errors.Add("Teams:EditInterval: must be between 0.2 seconds and 1 minute.");
        if (options.StreamInterval < TimeSpan.FromSeconds(1) || options.StreamInterval > TimeSpan.FromSeconds(10))
            errors.Add("Teams:StreamInterval: must be between 1 and 10 seconds (Teams allows one stream request per second).");
        if (options.StreamCutoff < TimeSpan.FromSeconds(1) || options.StreamCutoff > TimeSpan.FromSeconds(115))
            errors.Add("Teams:StreamCutoff: must be between 1 and 115 seconds (Teams ends streams at 2 minutes).");
        if (options.MaxRetries is < 0 or > 10)
            errors.Add("Teams:MaxRetries: must be between 0 and 10.");
        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
            errors.Add("Teams:RetryBaseDelay: must be between 0 and 1 minute.");
        if (options.MaxActivityBytes is < 16 * 1024 or > 16 * 1024 * 1024)
            errors.Add("Teams:MaxActivityBytes: must be between 16 KB and 16 MB.");
        CheckHosts(errors, "Teams:ServiceUrlHosts", options.ServiceUrlHosts);
        CheckHosts(errors, "Teams:AttachmentHosts", options.AttachmentHosts);
        CheckIds(errors, "Teams:AllowedCallers", "an app id", options.AllowedCallers);
        CheckIds(errors, "Teams:AllowedTenantIds", "a tenant id", options.AllowedTenantIds);
        CheckIds(errors, "Teams:AdminUserIds", "an Entra object id", options.AdminUserIds);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckHosts(List<string> errors, string key, IEnumerable<string> patterns)
    {
        foreach (var pattern in patterns.Where(p => !HostPattern.TryParse(p, out _, out _)))
            errors.Add($"{key}: '{pattern}' is not a host name, '*.suffix' or IP address (optionally with ':port').");
    }

    private static void CheckIds(List<string> errors, string key, string what, IEnumerable<string> ids)
    {
        foreach (var id in ids.Where(i => !Guid.TryParse(i, out _)))
            errors.Add($"{key}: '{id}' is not {what} (a GUID).");
    }

    // https everywhere; plain http only to a loopback address (tests, local fakes).
    private static void CheckUrl(List<string> errors, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            errors.Add($"{key}: '{value}' is not an absolute https URL.");
        else if (!LoopbackHttp.IsAllowed(uri))
            errors.Add($"{key}: '{value}' must use https (plain http is allowed only for loopback addresses).");
    }
}
