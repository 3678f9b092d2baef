using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Bench.ControlServer;

/// <summary>
/// One WebSocket of the control server. Answers the Engine.IO open and the Socket.IO connect with fixed frames and
/// handles the four bench events by matching bytes: join (ack), publish (fan-out of one pre-built frame), echo
/// (ack carrying the payload) and their 1 KB binary-attachment variants. Writes go through one queue per
/// connection, drained by one writer, because a WebSocket takes one send at a time.
/// </summary>
internal sealed class ControlConnection
{
    private static readonly byte[] OpenFrame = Encoding.UTF8.GetBytes(
        "0{\"sid\":\"controlcontrolcontrol\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
    private static readonly byte[] ConnectedFrame = Encoding.UTF8.GetBytes("40{\"sid\":\"controlsocketcontrols\"}");
    private static readonly byte[] MsgPrefix = Encoding.UTF8.GetBytes("42[\"msg\",");
    private static readonly byte[] BinaryMsgPrefix = Encoding.UTF8.GetBytes("451-[\"msg\",");

    private readonly WebSocket _socket;
    private readonly RoomRegistry _rooms;
    private readonly List<string> _joined = [];
    private readonly object _sync = new();
    private readonly Queue<(ReadOnlyMemory<byte> Data, bool Binary)> _queue = new();
    private bool _writing;
    // A binary event's header, waiting for its one attachment.
    private byte[]? _pendingBinaryHeader;

    public ControlConnection(WebSocket socket, RoomRegistry rooms)
    {
        _socket = socket;
        _rooms = rooms;
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        Enqueue(OpenFrame, binary: false);
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), aborted);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Binary) OnBinary(buffer.AsSpan(0, length));
                else OnText(buffer.AsSpan(0, length));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var room in _joined) _rooms.Leave(room, this);
        }
    }

    private void OnText(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 2 || frame[0] != (byte)'4') return; // pong and anything else: nothing to do
        switch (frame[1])
        {
            case (byte)'0':
                Enqueue(ConnectedFrame, binary: false);
                break;
            case (byte)'2':
                OnEvent(frame[2..], attachment: default);
                break;
            case (byte)'5':
                _pendingBinaryHeader = frame.ToArray();
                break;
        }
    }

    private void OnBinary(ReadOnlySpan<byte> data)
    {
        if (_pendingBinaryHeader is not { } header) return;
        _pendingBinaryHeader = null;
        // "451-" then the event as in a plain one.
        OnEvent(header.AsSpan(4), data.ToArray());
    }

    /// <summary>Handles <c>[id]["name",...]</c> (what follows the packet type, and the "1-" of a binary event).</summary>
    private void OnEvent(ReadOnlySpan<byte> packet, ReadOnlyMemory<byte> attachment)
    {
        var idLength = 0;
        while (idLength < packet.Length && char.IsAsciiDigit((char)packet[idLength])) idLength++;
        var id = packet[..idLength];
        var array = packet[idLength..];
        if (array.StartsWith("[\"join\",["u8))
        {
            var rest = array[9..];
            while (rest.IndexOf((byte)'"') is var start and >= 0)
            {
                rest = rest[(start + 1)..];
                var end = rest.IndexOf((byte)'"');
                var room = Encoding.UTF8.GetString(rest[..end]);
                _joined.Add(room);
                _rooms.Join(room, this);
                rest = rest[(end + 1)..];
            }
            if (!id.IsEmpty) Enqueue(Concat("43"u8, id, "[]"u8), binary: false);
        }
        else if (array.StartsWith("[\"publish\",\""u8))
        {
            var rest = array[12..];
            var end = rest.IndexOf((byte)'"');
            var room = Encoding.UTF8.GetString(rest[..end]);
            var payload = rest[(end + 2)..^1];
            var members = _rooms.Members(room);
            if (attachment.IsEmpty)
            {
                var frame = Concat(MsgPrefix, payload, "]"u8);
                foreach (var member in members) member.Enqueue(frame, binary: false);
            }
            else
            {
                var header = Concat(BinaryMsgPrefix, payload, "]"u8);
                foreach (var member in members) member.EnqueuePair(header, attachment);
            }
        }
        else if (array.StartsWith("[\"echo\","u8) && !id.IsEmpty)
        {
            var payload = array[8..^1];
            if (attachment.IsEmpty) Enqueue(Concat("43"u8, id, "["u8, payload, "]"u8), binary: false);
            else EnqueuePair(Concat("461-"u8, id, "["u8, payload, "]"u8), attachment);
        }
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d = default, ReadOnlySpan<byte> e = default)
    {
        var result = new byte[a.Length + b.Length + c.Length + d.Length + e.Length];
        var span = result.AsSpan();
        a.CopyTo(span);
        b.CopyTo(span[a.Length..]);
        c.CopyTo(span[(a.Length + b.Length)..]);
        d.CopyTo(span[(a.Length + b.Length + c.Length)..]);
        e.CopyTo(span[(a.Length + b.Length + c.Length + d.Length)..]);
        return result;
    }

    private void Enqueue(ReadOnlyMemory<byte> data, bool binary)
    {
        bool start;
        lock (_sync)
        {
            _queue.Enqueue((data, binary));
            start = !_writing;
            _writing = true;
        }
        if (start) _ = WriteLoopAsync();
    }

    private void EnqueuePair(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> attachment)
    {
        bool start;
        lock (_sync)
        {
            _queue.Enqueue((header, false));
            _queue.Enqueue((attachment, true));
            start = !_writing;
            _writing = true;
        }
        if (start) _ = WriteLoopAsync();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                (ReadOnlyMemory<byte> Data, bool Binary) next;
                lock (_sync)
                {
                    if (!_queue.TryDequeue(out next))
                    {
                        _writing = false;
                        return;
                    }
                }
                await _socket.SendAsync(next.Data, next.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The connection is gone; its receive loop ends too.
        }
    }
}
