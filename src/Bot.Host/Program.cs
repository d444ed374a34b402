using Bot.Core.Infrastructure;
using Bot.Host;

// Before the first socket: see RuntimeTuning (and the thread-pool spin limit in Bot.Host.csproj).
RuntimeTuning.PreferInlineSocketCompletions();

// `chat` talks to the bot in this terminal; anything else runs the bot's server (channels, /healthz).
return args is ["chat", .. var rest]
    ? await BotApplication.RunChatAsync(rest)
    : await BotApplication.RunServerAsync(args);
