namespace Bot.Teams.Adapter;

/// <summary>
/// The tenant an activity comes from (teams.md §3): <c>conversation.tenantId</c> and <c>channelData.tenant.id</c>,
/// which must agree. It becomes part of the conversation's key, so it must be a plain id: Teams sends GUIDs.
/// </summary>
internal static class ActivityTenant
{
    /// <summary>False when the activity names two different tenants or one that is not a plain id; the tenant is lower case, null when none is named.</summary>
    public static bool TryResolve(Activity activity, out string? tenant)
    {
        var fromConversation = NullIfEmpty(activity.Conversation?.TenantId);
        var fromChannelData = NullIfEmpty(activity.ChannelData?.Tenant?.Id);
        tenant = (fromConversation ?? fromChannelData)?.ToLowerInvariant();
        if (fromConversation is not null && fromChannelData is not null && !string.Equals(fromConversation, fromChannelData, StringComparison.OrdinalIgnoreCase))
            return false;
        return tenant is null || (tenant.Length <= 64 && tenant.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
