namespace Bot.Testing.OpenAI;

internal sealed partial class FakeOpenAIState
{
    public FakeModeration Moderation { get; } = new();
}
