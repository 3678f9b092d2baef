using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Bench;

/// <summary>
/// One Socket.IO client over a raw WebSocket: the HTTP upgrade written by hand, then the managed WebSocket framing.
/// One receive loop with one reused buffer answers heartbeats, completes the connect and join handshakes, and
/// reports every stamped packet to <see cref="Measurement.Current"/>. Sends are serialized by one semaphore.
/// </summary>
internal sealed class WsClient : IDisposable
{
    private static readonly byte[] MsgPackTypeKey = [0xa4, (byte)'t', (byte)'y', (byte)'p', (byte)'e'];

    private readonly Socket _socket;
    private readonly WebSocket _ws;
    private readonly Wire _wire;
    private readonly OutgoingFrames _connectFrame;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _joined;
    private byte[] _buffer = new byte[2048];
    private int _failed;

    private WsClient(Socket socket, WebSocket ws, Wire wire, OutgoingFrames connectFrame)
    {
        _socket = socket;
        _ws = ws;
        _wire = wire;
        _connectFrame = connectFrame;
    }

    public bool Failed => Volatile.Read(ref _failed) == 1;

    /// <summary>What made the client fail first (for a report), or null.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>Sees every packet that is not a heartbeat or a handshake answer (the soak checks its sequence numbers).</summary>
    public PacketObserver? Observer { get; set; }

    /// <summary>Frames this client stamps and sends (publish or echo), its own copy.</summary>
    public OutgoingFrames? Stamped { get; set; }

    /// <summary>Connected to another node than the publisher's (the cluster scenario): its deliveries are also counted as cross-node.</summary>
    public bool CrossNode { get; set; }

    public static async Task<WsClient> ConnectAsync(Connector connector, Wire wire, FrameFactory frames, CancellationToken cancellationToken)
    {
        var socket = await connector.ConnectAsync(cancellationToken);
        try
        {
            var request = Encoding.ASCII.GetBytes(
                $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{connector.Port}\r\nUpgrade: websocket\r\n" +
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken);

            var head = new byte[1024];
            var length = 0;
            int end;
            while ((end = head.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (length == head.Length) throw new IOException("upgrade response too long");
                var read = await socket.ReceiveAsync(head.AsMemory(length), SocketFlags.None, cancellationToken);
                if (read == 0) throw new IOException("connection closed during the upgrade");
                length += read;
            }
            if (!head.AsSpan().StartsWith("HTTP/1.1 101"u8))
                throw new IOException("upgrade refused: " + Encoding.ASCII.GetString(head, 0, Math.Min(length, 200)).Split('\r')[0]);

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            var rest = length - (end + 4);
            if (rest > 0) stream = new PrefixedStream(stream, head.AsMemory(end + 4, rest).ToArray());
            var ws = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
            var client = new WsClient(socket, ws, wire, frames.Connect());
            _ = client.ReceiveLoopAsync();
            await client._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return client;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Joins rooms and waits for the acknowledgement.</summary>
    public async Task JoinAsync(OutgoingFrames join)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _joined = joined;
        await SendAsync(join, stamp: -1);
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends a packet; a stamped one gets <paramref name="stamp"/> written in first. Never throws.</summary>
    public async ValueTask SendAsync(OutgoingFrames frames, long stamp)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (stamp >= 0) frames.Stamp(stamp);
            await _ws.SendAsync(frames.First, frames.FirstIsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            if (frames.Attachment is { } attachment)
                await _ws.SendAsync(attachment, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Callers fire and forget: whatever went wrong must show as a failed client, never as a silent fault.
            FailureReason ??= "send: " + ex.Message;
            Volatile.Write(ref _failed, 1);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                    result = await _ws.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Fail(new IOException("closed by the server"));
                        return;
                    }
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                OnFrame(_buffer.AsSpan(0, length), result.MessageType == WebSocketMessageType.Binary);
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    private void Fail(Exception ex)
    {
        FailureReason ??= ex.Message;
        Volatile.Write(ref _failed, 1);
        _connected.TrySetException(ex);
        _joined?.TrySetException(ex);
    }

    private void OnFrame(ReadOnlySpan<byte> frame, bool binary)
    {
        if (!binary && frame.Length > 0)
        {
            switch (frame[0])
            {
                case (byte)'2':
                    _ = SendAsync(FrameFactory.Pong, stamp: -1);
                    return;
                case (byte)'0':
                    _ = SendAsync(_connectFrame, stamp: -1);
                    return;
                case (byte)'4' when frame.Length >= 2:
                    if (frame[1] == (byte)'0')
                    {
                        _connected.TrySetResult();
                        return;
                    }
                    if (frame[1] is (byte)'4' or (byte)'1')
                    {
                        Fail(new IOException("refused: " + Encoding.UTF8.GetString(frame)));
                        return;
                    }
                    break;
            }
        }

        Observer?.Invoke(frame);
        if (Timestamps.TryRead(frame, out var stamp))
        {
            Measurement.Current.OnStamped(stamp, CrossNode);
            return;
        }

        var type = binary && _wire == Wire.MsgPack ? MsgPackPacketType(frame) : !binary && frame.Length >= 2 && frame[0] == '4' ? frame[1] - '0' : -1;
        if (type == 0) _connected.TrySetResult();
        else if (type == 3) _joined?.TrySetResult();
    }

    // The packet type of a msgpack packet: the value after the key "type" (a fixstr of 4 bytes).
    private static int MsgPackPacketType(ReadOnlySpan<byte> frame)
    {
        var at = frame.IndexOf(MsgPackTypeKey);
        return at >= 0 && at + 5 < frame.Length && frame[at + 5] < 0x80 ? frame[at + 5] : -1;
    }

    public void Dispose()
    {
        _ws.Abort();
        _ws.Dispose();
        _socket.Dispose();
    }
}
