namespace Bot.Core.Storage;

/// <summary>
/// The whole conversation store in one type: schema, mappings, inbox, turns and the remote-object registry. Kept so that
/// Core services which still take the whole store compile; new code takes the one port it needs.
/// </summary>
/// <remarks>
/// The typed records the adapters and backends keep (<see cref="IFollowedPlaces"/>, <see cref="IVisitorSessions"/>,
/// <see cref="IBotSecrets"/>, <see cref="IProvisionedAssistants"/>) are ports of their own, not part of this union.
/// Every store implements all of them; docs/data.md gives the schema a new implementation follows.
/// </remarks>
public interface IConversationStore : IStoreLifecycle, IConversationMappings, IInbox, ITurnLog, IRemoteObjectRegistry;
