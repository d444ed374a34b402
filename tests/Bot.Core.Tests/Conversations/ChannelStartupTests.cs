using Bot.Core.Backends;
using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.DependencyInjection;
using Bot.Core.Storage;
using Bot.Storage.Sqlite.DependencyInjection;
using Bot.Testing;
using Bot.Testing.Backends;
using Bot.Testing.Channels;
using Bot.Testing.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Core.Tests.Conversations;

/// <summary>The one start-up every channel goes through: registered with the core, then what the last run left is recovered.</summary>
public sealed class ChannelStartupTests
{
    [Fact]
    public async Task StartAsync_RegistersTheChannelBeforeTheRecovery_SoTheInterruptedTurnIsReportedThroughIt()
    {
        using var folder = new TempDirectory();
        var backend = new ScriptedBackend();
        await using (var before = await CoreHarness.StartAsync(backend, databasePath: folder.File("bot.db"), recover: false))
        {
            // What a crash leaves behind: a message in a running turn.
            var message = before.Channel.Message("c1", "was running", "m1");
            var id = await before.Store.TryAcceptAsync(message, DateTimeOffset.UtcNow);
            var conversation = await before.Store.GetOrCreateConversationAsync(message.Conversation, "Scripted", DateTimeOffset.UtcNow);
            await before.Store.StartTurnAsync(conversation.Id, [id!.Value], DateTimeOffset.UtcNow);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = folder.File("bot.db") })
            .Build();
        await using var services = new ServiceCollection().AddLogging().AddSqliteStorage(configuration).AddSingleton(new BackendCatalog(backend))
            .AddBotCore(configuration).BuildServiceProvider();
        var conversations = services.GetRequiredService<ConversationService>();
        await conversations.StartAsync(CancellationToken.None);
        var registry = services.GetRequiredService<ChannelRegistry>();
        var channel = new RecordingChannel();
        Assert.Null(registry.Find(channel.Name));

        await services.GetRequiredService<ChannelStartup>().StartAsync(channel);

        Assert.Same(channel, registry.Find(channel.Name));
        Assert.Equal(UserMessages.Interrupted, channel.RepliesTo("c1/m1").Single().Text);
        Assert.Empty(await services.GetRequiredService<IInbox>().GetUnfinishedInboxAsync(channel.Name));
        await conversations.StopAsync(CancellationToken.None);
    }
}
