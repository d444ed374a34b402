using System.Text.Json.Serialization;

namespace Bot.Teams.Adapter;

/// <summary>The fields of an inbound Bot Framework activity the bot reads (teams.md §3). Unknown fields are ignored.</summary>
internal sealed class Activity
{
    public string? Type { get; set; }
    public string? Id { get; set; }
    public string? ChannelId { get; set; }
    public string? ServiceUrl { get; set; }
    public string? Text { get; set; }
    public string? Name { get; set; }
    public string? ReplyToId { get; set; }
    public string? Action { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public ChannelAccount? From { get; set; }
    public ChannelAccount? Recipient { get; set; }
    public ConversationAccount? Conversation { get; set; }
    public List<ActivityAttachment>? Attachments { get; set; }
    public List<JsonElement>? Entities { get; set; }
    public List<ChannelAccount>? MembersAdded { get; set; }
    public JsonElement? Value { get; set; }
    public ActivityChannelData? ChannelData { get; set; }
}

/// <summary>The part of Teams' channelData the bot reads: the tenant, and in a channel its team and channel (teams.md §3.4).</summary>
internal sealed class ActivityChannelData
{
    public TenantInfo? Tenant { get; set; }

    public TenantInfo? Team { get; set; }

    public TenantInfo? Channel { get; set; }
}

/// <summary>An object of channelData known by its id (tenant, team, channel).</summary>
internal sealed class TenantInfo
{
    public string? Id { get; set; }
}

internal sealed class ChannelAccount
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? AadObjectId { get; set; }
}

internal sealed class ConversationAccount
{
    public string? Id { get; set; }
    public string? ConversationType { get; set; }
    public string? TenantId { get; set; }
    public bool? IsGroup { get; set; }
}

internal sealed class ActivityAttachment
{
    public string? ContentType { get; set; }
    public string? ContentUrl { get; set; }
    public string? Name { get; set; }
    public JsonElement? Content { get; set; }
}

/// <summary>Source-generated JSON for the Teams wire types (camelCase, nulls left out).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ReplyAddress))]
internal sealed partial class TeamsJson : JsonSerializerContext;
