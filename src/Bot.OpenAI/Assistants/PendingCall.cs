namespace Bot.OpenAI.Assistants;

/// <summary>A function call the run waits for.</summary>
internal sealed record PendingCall(string CallId, string FunctionName, string Arguments);
