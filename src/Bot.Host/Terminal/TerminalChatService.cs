using Bot.Core.Channels;
using Bot.Core.Conversations;
using Bot.Core.Places;
using Bot.Core.Tools.Approvals;
using Bot.Core.Usage;

namespace Bot.Host.Terminal;

/// <summary>
/// Reads the terminal line by line: each line is a message, answered before the next is read; a few
/// slash commands control the conversation. At the end of the input it stops the host (exit code 0).
/// </summary>
internal sealed partial class TerminalChatService(
    ConversationService conversations,
    ChannelStartup startup,
    TerminalChannel channel,
    TerminalOptions options,
    TerminalConsole console,
    IHostApplicationLifetime lifetime,
    IApprovalAnswers approvals,
    PlaceSettings settings,
    UsageReports usage,
    TimeProvider time) : BackgroundService
{
    private const string Help = """
        Type a message and press Enter. Commands:
          /attach <path> [text]   send a file (with optional text)
          /usage                  tokens used today and this month, and what is left
          /settings show          the settings in force here and where each comes from
          /settings set <name> <value>, /settings clear <name>, /settings history
          /model <name>           answer with another allowed model from the next message on
          /reset                  forget this conversation and start a new one
          /help                   show this help
          /exit                   quit (so does end of input, Ctrl+D)
        """;

    private ConversationKey Key => new(TerminalChannel.ChannelName, options.ConversationId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await startup.StartAsync(channel, stoppingToken);
        var interactive = ReferenceEquals(console.Input, Console.In) && !Console.IsInputRedirected;
        if (interactive)
            Say("Chatting with the bot. /help lists the commands.");

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (interactive)
                    Write("> ");
                var line = await console.Input.ReadLineAsync(stoppingToken);
                if (line is null || line.Trim() is "/exit" or "/quit")
                {
                    // An answer a restart left running is finished (recovery queued it in the lane) before the chat ends.
                    await conversations.WhenSettledAsync(Key, stoppingToken);
                    break;
                }
                await HandleAsync(line.Trim(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task HandleAsync(string line, CancellationToken cancellationToken)
    {
        switch (line)
        {
            case "":
                return;
            case "/help":
                Say(Help);
                return;
            case "/reset":
                var result = await conversations.ResetAsync(Key, cancellationToken);
                Say(result.HadConversation ? "Conversation reset. The next message starts a new one." : "Nothing to reset yet.");
                return;
        }

        var text = line;
        IReadOnlyList<IncomingAttachment> attachments = [];
        if (line.StartsWith("/attach", StringComparison.Ordinal))
        {
            if (!TryParseAttach(line, out var attachment, out text, out var problem))
            {
                Say(problem);
                return;
            }

            attachments = [attachment];
        }
        else if (SettingsCommand.TryParse(line, out var command) && command.Slash)
        {
            Say(await CommandAsync(command, cancellationToken));
            return;
        }
        else if (line.StartsWith('/'))
        {
            Say($"Unknown command {line.Split(' ')[0]}. /help lists the commands.");
            return;
        }

        var message = new IncomingMessage(Key, Guid.NewGuid().ToString("N"), new MessageAuthor(UserId, UserId),
            text, attachments, DateTimeOffset.UtcNow, ReplyAddress: Key.ConversationId, Places: Here);
        var accepted = await conversations.AcceptAsync(message, cancellationToken);
        await AnswerQuestionsUntilAsync(accepted.Answered, cancellationToken);
        Say("");
    }

    private static bool TryParseAttach(string line, out IncomingAttachment attachment, out string text, out string problem)
    {
        attachment = null!;
        text = "";
        var rest = line["/attach".Length..].Trim();
        var path = rest;
        if (rest.StartsWith('"') && rest.IndexOf('"', 1) is > 0 and var close)
        {
            path = rest[1..close];
            text = rest[(close + 1)..].Trim();
        }
        else if (rest.IndexOf(' ', StringComparison.Ordinal) is > 0 and var space)
        {
            path = rest[..space];
            text = rest[(space + 1)..].Trim();
        }

        if (path.Length == 0)
        {
            problem = "Usage: /attach <path> [text]";
            return false;
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            problem = $"There is no file {path}.";
            return false;
        }

        problem = "";
        attachment = new IncomingAttachment(file.Name, null, file.Length, file.FullName);
        return true;
    }

    private void Say(string text) => Write(text + Environment.NewLine);

    private void Write(string text)
    {
        lock (channel.OutputLock)
        {
            console.Output.Write(text);
            console.Output.Flush();
        }
    }
}
