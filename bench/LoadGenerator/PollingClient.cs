using System.Net.Sockets;
using System.Text;

namespace Bench;

/// <summary>
/// One Socket.IO client on HTTP long-polling only: a GET always waiting on one connection, POSTs on another (one at
/// a time, as the protocol requires). In the exchange, each stamped pong-ev that arrives sends the next ping-ev.
/// </summary>
internal sealed class PollingClient : IDisposable
{
    private readonly HttpConnection _get;
    private readonly HttpConnection _post;
    private readonly SemaphoreSlim _postLock = new(1, 1);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _getRequest = [];
    private string _postHead = "";
    private OutgoingFrames _ping = null!;
    private TaskCompletionSource? _joined;
    private volatile bool _exchanging;
    private int _failed;

    private PollingClient(Socket get, Socket post)
    {
        _get = new HttpConnection(get);
        _post = new HttpConnection(post);
    }

    public bool Failed => Volatile.Read(ref _failed) == 1;

    /// <summary>Sees every packet that is not a heartbeat or a handshake answer (the soak checks its sequence numbers).</summary>
    public PacketObserver? Observer { get; set; }

    /// <summary>Joins rooms (a JSON join event with an ack) and waits for the acknowledgement.</summary>
    public async Task JoinAsync(IReadOnlyList<string> rooms)
    {
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _joined = joined;
        await PostAsync(Encoding.UTF8.GetBytes("420[\"join\",[" + string.Join(",", rooms.Select(r => "\"" + r + "\"")) + "]]"));
        await joined.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static async Task<PollingClient> ConnectAsync(Connector connector, int payloadSize, CancellationToken cancellationToken)
    {
        var client = new PollingClient(await connector.ConnectAsync(cancellationToken), await connector.ConnectAsync(cancellationToken));
        try
        {
            var host = $"Host: 127.0.0.1:{connector.Port}\r\n";
            var (status, body) = await client._get.RequestAsync(Encoding.ASCII.GetBytes($"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\n{host}\r\n"));
            var text = Encoding.UTF8.GetString(body.Span);
            var at = text.IndexOf("\"sid\":\"", StringComparison.Ordinal);
            if (status != 200 || at < 0) throw new IOException($"polling handshake failed ({status}): {text}");
            var sid = text[(at + 7)..text.IndexOf('"', at + 7)];
            var path = $"/socket.io/?EIO=4&transport=polling&sid={sid}";
            client._getRequest = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\n{host}\r\n");
            client._postHead = $"POST {path} HTTP/1.1\r\n{host}Content-Type: text/plain;charset=UTF-8\r\nContent-Length: ";
            // The whole POST (head and body) is one pre-encoded buffer, stamped in place and sent with one call.
            var ping = $"42[\"ping-ev\",\"{FrameFactory.PayloadText(payloadSize)}\"]";
            client._ping = OutgoingFrames.Text($"{client._postHead}{Encoding.UTF8.GetByteCount(ping)}\r\n\r\n{ping}");
            _ = client.PollLoopAsync();
            await client.PostAsync(Encoding.ASCII.GetBytes("40"));
            await client._connected.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Starts the closed-loop exchange: one ping-ev in flight at a time.</summary>
    public void StartExchange()
    {
        _exchanging = true;
        _ = SendPingAsync();
    }

    public void StopExchange() => _exchanging = false;

    private async Task SendPingAsync()
    {
        await _postLock.WaitAsync();
        try
        {
            _ping.Stamp(Timestamps.Now());
            var (status, _) = await _post.RequestAsync(_ping.First);
            if (status != 200) Volatile.Write(ref _failed, 1);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Volatile.Write(ref _failed, 1);
        }
        finally
        {
            _postLock.Release();
        }
    }

    private async Task PostAsync(byte[] body)
    {
        await _postLock.WaitAsync();
        try
        {
            var (status, _) = await _post.RequestAsync(Encoding.ASCII.GetBytes($"{_postHead}{body.Length}\r\n\r\n"), body);
            if (status != 200) Volatile.Write(ref _failed, 1);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Volatile.Write(ref _failed, 1);
        }
        finally
        {
            _postLock.Release();
        }
    }

    private async Task PollLoopAsync()
    {
        try
        {
            while (true)
            {
                var (status, body) = await _get.RequestAsync(_getRequest);
                if (status != 200) throw new IOException($"poll answered {status}");
                var payload = body.Span;
                while (!payload.IsEmpty)
                {
                    var end = payload.IndexOf((byte)0x1e);
                    var packet = end < 0 ? payload : payload[..end];
                    payload = end < 0 ? default : payload[(end + 1)..];
                    if (!OnPacket(packet)) return;
                }
            }
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _failed, 1);
            _connected.TrySetException(ex);
            _joined?.TrySetException(ex);
        }
    }

    private bool OnPacket(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty) return true;
        switch (packet[0])
        {
            case (byte)'2':
                _ = PostAsync("3"u8.ToArray());
                return true;
            case (byte)'1':
                Volatile.Write(ref _failed, 1);
                return false;
            case (byte)'4' when packet.Length >= 2 && packet[1] == (byte)'0':
                _connected.TrySetResult();
                return true;
            case (byte)'4' when packet.Length >= 2 && packet[1] == (byte)'3':
                _joined?.TrySetResult();
                return true;
        }
        Observer?.Invoke(packet);
        if (Timestamps.TryRead(packet, out var stamp))
        {
            Measurement.Current.OnStamped(stamp);
            if (_exchanging) _ = SendPingAsync();
        }
        return true;
    }

    public void Dispose()
    {
        _exchanging = false;
        _get.Dispose();
        _post.Dispose();
    }
}
