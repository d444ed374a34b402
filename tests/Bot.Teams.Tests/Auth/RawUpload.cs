using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bot.Teams.Tests.Auth;

/// <summary>
/// A POST to /api/messages over a plain socket that reads the answer while it is still sending the body, as a
/// careful client does (HttpClient reads only after sending, so a server that stops reading early shows it a broken
/// pipe instead of the status). It stops sending once answered, and says how much of the body it got out.
/// </summary>
internal static class RawUpload
{
    public sealed record Result(int Status, long Written, long Total);

    public static async Task<Result> SendAsync(Uri baseUri, string? authorization, long total, bool declareLength)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, baseUri.Port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:{baseUri.Port}\r\nContent-Type: application/json\r\n")
            .Append(authorization is null ? "" : $"Authorization: {authorization}\r\n")
            .Append(declareLength ? $"Content-Length: {total}\r\n" : "Transfer-Encoding: chunked\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));

        var status = ReadStatusAsync(stream);
        var piece = Encoding.ASCII.GetBytes("{\"type\":\"message\",\"text\":\"" + new string('a', 16 * 1024 - 27));
        var frame = Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n");
        long written = 0;
        try
        {
            while (written < total && !status.IsCompleted)
            {
                var length = (int)Math.Min(piece.Length, total - written);
                if (!declareLength)
                    await stream.WriteAsync(length == piece.Length ? frame : Encoding.ASCII.GetBytes($"{length:x}\r\n"));
                await stream.WriteAsync(piece.AsMemory(0, length));
                if (!declareLength)
                    await stream.WriteAsync("\r\n"u8.ToArray());
                written += length;
            }

            if (!declareLength && !status.IsCompleted)
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        }
        catch (IOException)
        {
            // The server closed the connection: what it answered before is read below.
        }

        return new Result(await status.WaitAsync(TimeSpan.FromSeconds(60)), written, total);
    }

    // The status code of the answer's first line; 0 if the connection ended before one came.
    private static async Task<int> ReadStatusAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                    return 0;
                received.AddRange(buffer.AsSpan(0, read));
                var text = Encoding.ASCII.GetString([.. received]);
                if (text.IndexOf("\r\n", StringComparison.Ordinal) is var end and > 0)
                    return int.Parse(text.Split(' ')[1], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
