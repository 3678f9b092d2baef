using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SocketIo.Tests.Integration;

/// <summary>
/// A Socket.IO client over a bare TCP WebSocket that connects, joins, and then stops reading (a slow consumer). Its
/// receive buffer is made small, so that the kernel soon stops taking what the server writes. It can still send
/// (pongs without having read a ping, events), and it can tell whether its TCP connection is still established
/// without reading a byte (TCP_INFO).
/// </summary>
internal sealed class StalledClient : IAsyncDisposable
{
    // Linux: IPPROTO_TCP, TCP_INFO, and tcpi_state's value for an established connection.
    private const int IpProtoTcp = 6;
    private const int TcpInfo = 11;
    private const byte TcpEstablished = 1;

    private readonly Socket _socket;
    private NetworkStream _stream = null!;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    private StalledClient(Socket socket)
    {
        _socket = socket;
    }

    public string Sid { get; private set; } = "";

    /// <summary>Connects, opens the main namespace and joins with the given event (acknowledged), then reads no more.</summary>
    public static async Task<StalledClient> ConnectAsync(TestServer server, string joinEvent)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
        var client = new StalledClient(socket);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, server.BaseUri.Port).WaitAsync(TestServer.Timeout);
            client._stream = new NetworkStream(socket, ownsSocket: true);
            var request = "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(TestServer.Timeout);
            var head = new List<byte>();
            var one = new byte[1];
            while (head.Count < 4 || !head.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
            {
                await client._stream.ReadExactlyAsync(one).AsTask().WaitAsync(TestServer.Timeout);
                head.Add(one[0]);
            }
            Encoding.ASCII.GetString([.. head]).Should().StartWith("HTTP/1.1 101");
            (await client.ReadTextAsync()).Should().StartWith("0{");
            await client.SendTextAsync("40");
            var connect = await client.ReadSkippingPingsAsync();
            connect.Should().StartWith("40{\"sid\":\"");
            client.Sid = connect[10..connect.IndexOf('"', 10)];
            await client.SendTextAsync($"420[\"{joinEvent}\"]");
            (await client.ReadSkippingPingsAsync()).Should().StartWith("430");
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the TCP connection is still established (read from the kernel, without reading any data).</summary>
    public bool IsEstablished
    {
        get
        {
            var info = new byte[232];
            _socket.GetRawSocketOption(IpProtoTcp, TcpInfo, info);
            return info[0] == TcpEstablished;
        }
    }

    /// <summary>Waits until the connection is no longer established; false if it still is after <paramref name="within"/>.</summary>
    public async Task<bool> WaitNotEstablishedAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (IsEstablished)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    public async Task SendTextAsync(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, 125);
        RandomNumberGenerator.Fill(frame.AsSpan(2, 4));
        for (var i = 0; i < payload.Length; i++) frame[6 + i] = (byte)(payload[i] ^ frame[2 + i % 4]);
        await _sendLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(frame).AsTask().WaitAsync(TestServer.Timeout);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // While it still reads (the setup), a ping is answered like any client would.
    private async Task<string> ReadSkippingPingsAsync()
    {
        while (true)
        {
            var text = await ReadTextAsync();
            if (text != "2") return text;
            await SendTextAsync("3");
        }
    }

    private async Task<string> ReadTextAsync()
    {
        var header = new byte[2];
        await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(TestServer.Timeout);
        long length = header[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await _stream.ReadExactlyAsync(extended).AsTask().WaitAsync(TestServer.Timeout);
            length = extended.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : (long)BinaryPrimitives.ReadUInt64BigEndian(extended);
        }
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload).AsTask().WaitAsync(TestServer.Timeout);
        return Encoding.UTF8.GetString(payload);
    }

    public ValueTask DisposeAsync()
    {
        if (_stream is null) _socket.Dispose();
        else _stream.Dispose();
        return ValueTask.CompletedTask;
    }
}
