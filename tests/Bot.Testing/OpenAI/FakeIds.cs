namespace Bot.Testing.OpenAI;

/// <summary>Makes ids that look like the service's (prefix + random hex or base62).</summary>
internal static partial class FakeIds
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Conversation() => Hex("conv_", 48);

    public static string Response() => Hex("resp_", 50);

    public static string Message() => Hex("msg_", 50);

    public static string FunctionCall() => Hex("fc_", 50);

    public static string FunctionCallOutput() => Hex("fco_", 50);

    public static string CodeInterpreterCall() => Hex("ci_", 50);

    public static string FileSearchCall() => Hex("fs_", 50);
    public static string WebSearchCall() => Hex("ws_", 50);
    public static string Compaction() => Hex("cmp_", 50);

    public static string Container() => Hex("cntr_", 48);

    public static string ContainerFile() => Hex("cfile_", 32);

    public static string VectorStore() => Hex("vs_", 32);

    public static string VectorStoreFileBatch() => Hex("vsfb_", 32);

    public static string Request() => Hex("req_", 32);

    // Real file ids and call ids are base62, not hex: "file-NCKrwcbrD1Z2ucn4Mhe1yX", "call_0UFGPwrziw5rbinYp7rthrTb".
    public static string File() => Alphanumeric("file-", 22);

    public static string Call() => Alphanumeric("call_", 24);

    // Assistants v2 ids are base62 too: "asst_0VLdyfoSMFV4tQpzWUT2ywhg", "thread_Wq2ScOs1iInUsyhUUDmN5NZH", "run_Uy45lNz2P7BpJcqWzQkXl1Bu".
    public static string Assistant() => Alphanumeric("asst_", 24);

    public static string Thread() => Alphanumeric("thread_", 24);

    public static string ThreadMessage() => Alphanumeric("msg_", 24);

    public static string Run() => Alphanumeric("run_", 24);

    public static string Step() => Alphanumeric("step_", 24);

    private static string Hex(string prefix, int length)
    {
        Span<byte> bytes = stackalloc byte[(length + 1) / 2];
        Random.Shared.NextBytes(bytes);
        return string.Concat(prefix, Convert.ToHexStringLower(bytes).AsSpan(0, length));
    }

    private static string Alphanumeric(string prefix, int length)
    {
        return string.Create(prefix.Length + length, prefix, static (span, p) =>
        {
            p.AsSpan().CopyTo(span);
            for (var i = p.Length; i < span.Length; i++)
            {
                span[i] = Base62[Random.Shared.Next(Base62.Length)];
            }
        });
    }
}
