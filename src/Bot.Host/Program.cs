using Bot.Core.Infrastructure;
using Bot.Host;
using Bot.Host.Health;

// Before the first socket: see RuntimeTuning (and the thread-pool spin limit in Bot.Host.csproj).
RuntimeTuning.PreferInlineSocketCompletions();

// `chat` talks to the bot in this terminal; `healthcheck` asks a running bot whether it is ready (the container's
// HEALTHCHECK); anything else runs the bot's server (channels, /healthz, /metrics).
return args switch
{
    ["chat", .. var rest] => await BotApplication.RunChatAsync(rest),
    ["healthcheck", .. var rest] => await HealthcheckCommand.RunAsync(rest),
    _ => await BotApplication.RunServerAsync(args),
};
