using Bot.Host;

// `chat` talks to the bot in this terminal; anything else runs the bot's server (channels, /healthz).
return args is ["chat", .. var rest]
    ? await BotApplication.RunChatAsync(rest)
    : await BotApplication.RunServerAsync(args);
