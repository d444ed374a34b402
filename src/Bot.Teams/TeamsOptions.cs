namespace Bot.Teams;

/// <summary>How the bot obtains its outbound tokens (the Azure Bot resource's "App type").</summary>
public enum TeamsAppType
{
    /// <summary>Tokens from the botframework.com tenant (legacy multi-tenant registrations).</summary>
    MultiTenant,

    /// <summary>Tokens from the bot's own tenant (<see cref="TeamsOptions.TenantId"/>).</summary>
    SingleTenant,

    /// <summary>Tokens from the Azure managed identity whose client id is <see cref="TeamsOptions.AppId"/>.</summary>
    UserAssignedMsi,
}

/// <summary>Settings of the Microsoft Teams channel (configuration section <c>Teams</c>).</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The Microsoft App ID of the Azure Bot registration; the channel starts when it is set.</summary>
    public string? AppId { get; set; }

    /// <summary>The client secret of the app registration (MultiTenant, SingleTenant).</summary>
    public string? AppPassword { get; set; }

    /// <summary>MultiTenant (default), SingleTenant or UserAssignedMsi.</summary>
    public TeamsAppType AppType { get; set; } = TeamsAppType.MultiTenant;

    /// <summary>The Entra tenant of a SingleTenant / UserAssignedMsi bot; its Entra tokens are accepted too.</summary>
    public string? TenantId { get; set; }

    /// <summary>The Bot Connector's OpenID metadata (signing keys with their endorsements).</summary>
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>OpenID metadata of Entra-issued tokens (Bot Service tenants and <see cref="TenantId"/>).</summary>
    public string EntraOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>The Entra login endpoint for outbound tokens (<c>{LoginEndpoint}/{tenant}/oauth2/v2.0/token</c>).</summary>
    public string LoginEndpoint { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Managed identity token endpoint for UserAssignedMsi; empty = App Service's IDENTITY_ENDPOINT, else the Azure IMDS.</summary>
    public string? ManagedIdentityEndpoint { get; set; }

    /// <summary>Without an app id: serve /api/messages to loopback callers only, unauthenticated (Emulator, local tools).</summary>
    public bool LocalMode { get; set; }

    /// <summary>
    /// The only hosts a serviceUrl may name, and so the only hosts the bot's Connector token is ever sent to (<c>host</c>,
    /// <c>*.suffix</c>, either optionally with <c>:port</c>). Empty = the public cloud's Bot Connector hosts
    /// (<see cref="Connector.ServiceUrlPolicy.PublicCloudHosts"/>); a list replaces them (sovereign clouds, tests).
    /// </summary>
    public IList<string> ServiceUrlHosts { get; } = [];

    /// <summary>
    /// App ids whose Entra-issued tokens are accepted (the token's <c>appid</c> v1 / <c>azp</c> v2). Empty = the
    /// documented Bot Service caller (<see cref="Auth.InboundAuthenticator.DefaultCallers"/>); the bot's own app id is always allowed.
    /// </summary>
    public IList<string> AllowedCallers { get; } = [];

    /// <summary>Tenants whose activities the bot answers (conversation.tenantId / channelData.tenant.id). Empty = any tenant.</summary>
    public IList<string> AllowedTenantIds { get; } = [];

    /// <summary>
    /// Entra object ids (the <c>aadObjectId</c> of a Teams user, a GUID) of the people who may answer anyone's approval
    /// question (Approve / Deny of a remote tool call); everyone else answers only their own. Empty = nobody.
    /// </summary>
    public IList<string> AdminUserIds { get; } = [];

    /// <summary>Hosts attachments may be downloaded from (exact names or <c>*.suffix</c>); the activity's serviceUrl host is always allowed.</summary>
    public IList<string> AttachmentHosts { get; } = [];

    /// <summary>Longest text of one Teams message before a reply continues in the next (UTF-16 characters).</summary>
    public int MaxMessageCharacters { get; set; } = 20_000;

    /// <summary>Largest generated image sent inline (base64) with a reply, in bytes.</summary>
    public long MaxInlineImageBytes { get; set; } = 180 * 1024;

    /// <summary>Gap between two updates (PUT) of one message in group chats and channels.</summary>
    public TimeSpan EditInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Gap between two requests of one personal-chat stream (Teams allows one per second).</summary>
    public TimeSpan StreamInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Use the Teams streaming protocol in personal chats (otherwise send + update, as in groups).</summary>
    public bool Streaming { get; set; } = true;

    /// <summary>How long a stream may run before it ends as a normal message (Teams ends streams at 2 minutes).</summary>
    public TimeSpan StreamCutoff { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a Connector call answered 429, 412, 502, 503 or 504.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First back-off of a retry without Retry-After (doubles, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest accepted request body of /api/messages, in bytes.</summary>
    public int MaxActivityBytes { get; set; } = 1024 * 1024;

    /// <summary>The first message the bot writes when it is added to a conversation.</summary>
    public string Welcome { get; set; } =
        "👋 Hi! I'm an AI assistant. Ask me anything — in chats and channels, @mention me. Attach files in our 1:1 chat and I'll read them. Type **reset** to start over, **stop** to cancel an answer.";

    /// <summary>True when requests need a valid token (an app id is configured).</summary>
    public bool Authenticated => !string.IsNullOrWhiteSpace(AppId);
}
