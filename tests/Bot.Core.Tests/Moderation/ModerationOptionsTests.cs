using Bot.Core.Configuration;
using Bot.Core.Moderation;

namespace Bot.Core.Tests.Moderation;

public sealed class ModerationOptionsTests
{
    private static readonly SectionValidator<ModerationOptions> Validator = new(ModerationOptions.SectionName);

    [Fact]
    public void Defaults_AreOff_FailOpen_WithTheOmniModel_AndValid()
    {
        var options = new ModerationOptions();
        Assert.False(options.Enabled);
        Assert.False(options.FailClosed);
        Assert.Equal("omni-moderation-latest", options.Model);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void AnAlertChannelThatIsNotAnId_AndAnEmptyModelWhenEnabled_AreNamedByKey()
    {
        var result = Validator.Validate(null, new ModerationOptions { Enabled = true, Model = " ", AlertChannelId = "#mods" });

        Assert.False(result.Succeeded);
        Assert.Contains(result.Failures!, f => f.StartsWith("Moderation:AlertChannelId:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Moderation:Model:", StringComparison.Ordinal));
    }
}
