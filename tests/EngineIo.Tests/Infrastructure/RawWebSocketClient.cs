using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace EngineIo.Tests.Infrastructure;

/// <summary>
/// One WebSocket frame exactly as the server sent it. <see cref="Rsv1"/> is the bit that marks the first frame of a
/// permessage-deflate compressed message, which a <see cref="System.Net.WebSockets.ClientWebSocket"/> never shows.
/// </summary>
internal sealed record RawFrame(bool Fin, bool Rsv1, int Opcode, byte[] Payload)
{
    public const int TextOpcode = 1;
    public const int BinaryOpcode = 2;
    public const int CloseOpcode = 8;

    /// <summary>The payload of a compressed message inflated (RFC 7692: the deflate stream lacks its final empty block).</summary>
    public byte[] Inflate()
    {
        using var input = new MemoryStream([.. Payload, 0x00, 0x00, 0xFF, 0xFF]);
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        inflater.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The message's bytes, inflated when the frame says it is compressed.</summary>
    public string Text => Encoding.UTF8.GetString(Rsv1 ? Inflate() : Payload);
}

/// <summary>
/// A WebSocket client over a bare TCP connection, for the tests that must see frames on the wire (compression). It
/// offers the extensions it is told to, sends unfragmented, uncompressed, masked frames and reads the server's frames
/// one by one.
/// </summary>
internal sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketClient(TcpClient tcp, Dictionary<string, string> responseHeaders)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        ResponseHeaders = responseHeaders;
    }

    /// <summary>The headers of the server's 101 answer, names in lower case.</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; }

    public static async Task<RawWebSocketClient> ConnectAsync(EngineTestHost host, string query, string? extensions)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, host.Port).WaitAsync(Limits.Await);
        var stream = tcp.GetStream();
        var request = new StringBuilder()
            .Append($"GET {host.Path(query)} HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
            .Append($"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\n");
        if (extensions is not null) request.Append($"Sec-WebSocket-Extensions: {extensions}\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString())).AsTask().WaitAsync(Limits.Await);

        // The answer's head, byte by byte: whatever follows it is the first frame and must stay in the stream.
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            await stream.ReadExactlyAsync(one).AsTask().WaitAsync(Limits.Await);
            head.Add(one[0]);
        }
        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("HTTP/1.1 101");
        var headers = lines.Skip(1).Select(line => line.Split(':', 2)).ToDictionary(parts => parts[0].Trim().ToLowerInvariant(), parts => parts[1].Trim());
        return new RawWebSocketClient(tcp, headers);
    }

    public async Task<RawFrame> ReadFrameAsync()
    {
        var header = new byte[2];
        await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(Limits.Await);
        long length = header[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await _stream.ReadExactlyAsync(extended).AsTask().WaitAsync(Limits.Await);
            length = extended.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }
        // A server never masks its frames.
        (header[1] & 0x80).Should().Be(0);
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload).AsTask().WaitAsync(Limits.Await);
        return new RawFrame(Fin: (header[0] & 0x80) != 0, Rsv1: (header[0] & 0x40) != 0, Opcode: header[0] & 0x0F, payload);
    }

    public async Task<string> ReadTextAsync()
    {
        var frame = await ReadFrameAsync();
        frame.Opcode.Should().Be(RawFrame.TextOpcode);
        return frame.Text;
    }

    public Task SendTextAsync(string text) => SendAsync(RawFrame.TextOpcode, Encoding.UTF8.GetBytes(text));

    /// <summary>Starts the close handshake with a close frame (1000, normal closure).</summary>
    public Task SendCloseAsync() => SendAsync(RawFrame.CloseOpcode, [0x03, 0xE8]);

    /// <summary>Completes when the server has closed the TCP connection; fails if it sends anything more.</summary>
    public async Task ReadEndOfStreamAsync()
    {
        var rest = new byte[1];
        (await _stream.ReadAsync(rest).AsTask().WaitAsync(Limits.Await)).Should().Be(0, "the server was expected to close the connection");
    }

    private async Task SendAsync(int opcode, byte[] payload)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, ushort.MaxValue);
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length < 126) frame.Add((byte)(0x80 | payload.Length));
        else
        {
            frame.Add(0x80 | 126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        await _stream.WriteAsync(frame.ToArray()).AsTask().WaitAsync(Limits.Await);
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
