using Bot.Core.Conversations;
using Bot.Core.Moderation;
using Bot.Discord.Adapter;

namespace Bot.Discord.Tests;

public sealed class ModerationNoticeTests
{
    [Fact]
    public void ADiscordThread_ShowsTheUserAndThreadAsMentions()
    {
        var notice = DiscordModerationAlerts.Notice(new ModerationAlert(new ConversationKey("discord", "thread:1457510428359004343"), "1033044521375764530",
            "Ada", ["violence"]));

        Assert.Equal("🛡️ Moderation refused a message from <@1033044521375764530> in <#1457510428359004343>. Categories: violence.", notice);
    }

    [Fact]
    public void AnotherChannelsIds_ShowAsCode_WithoutMarkupOrMentionSyntax()
    {
        var notice = DiscordModerationAlerts.Notice(new ModerationAlert(new ConversationKey("teams", "19:abc`@everyone<@&1>\n**x**"), "<@123> `evil`",
            "@everyone", ["hate"]));

        Assert.DoesNotContain("@everyone", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", notice, StringComparison.Ordinal);
        Assert.Equal("🛡️ Moderation refused a message from `123evil` in teams `19:abceveryone1x`. Categories: hate.", notice);
    }
}
