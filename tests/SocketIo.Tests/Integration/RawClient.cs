using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace SocketIo.Tests.Integration;

/// <summary>One frame received by <see cref="RawClient"/>.</summary>
internal sealed record Frame(bool IsBinary, string Text, byte[] Data)
{
    public override string ToString() => IsBinary ? $"<binary {Convert.ToHexString(Data)}>" : Text;
}

/// <summary>
/// A bare Engine.IO v4 / Socket.IO v5 client over a WebSocket: exact frames in, exact frames out. Answers pings
/// unless <see cref="AnswerPings"/> is turned off.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    private readonly ClientWebSocket _ws;
    private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _receiveLoop;

    private RawClient(ClientWebSocket ws, string openPacket)
    {
        _ws = ws;
        OpenPacket = openPacket;
        _receiveLoop = ReceiveLoopAsync();
    }

    /// <summary>The engine's OPEN packet (<c>0{"sid":...}</c>).</summary>
    public string OpenPacket { get; }

    public volatile bool AnswerPings = true;

    /// <summary>Completes when the server closed the WebSocket (or it failed).</summary>
    public Task Closed => _closed.Task;

    public static async Task<RawClient> ConnectAsync(TestServer server, string query = "", Action<ClientWebSocketOptions>? configure = null)
    {
        var ws = new ClientWebSocket();
        configure?.Invoke(ws.Options);
        await ws.ConnectAsync(server.WebSocketUri(query), CancellationToken.None).WaitAsync(Timeout);
        var open = await ReadMessageAsync(ws).WaitAsync(Timeout);
        var text = Encoding.UTF8.GetString(open.Data);
        text.Should().StartWith("0{");
        return new RawClient(ws, text);
    }

    /// <summary>Sends CONNECT for <paramref name="nsp"/> and returns the socket id from the server's CONNECT.</summary>
    public async Task<string> JoinAsync(string nsp = "/", string? auth = null)
    {
        var prefix = nsp == "/" ? "" : nsp + ",";
        await SendAsync("40" + prefix + (auth ?? ""));
        var reply = await ReceiveTextAsync();
        reply.Should().StartWith("40" + prefix + "{\"sid\":");
        using var json = JsonDocument.Parse(reply[(2 + prefix.Length)..]);
        return json.RootElement.GetProperty("sid").GetString()!;
    }

    public async Task SendAsync(string text)
    {
        await _sendLock.WaitAsync(Timeout);
        try
        {
            await _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends an Engine.IO binary message (the WebSocket transport carries it as a binary frame, no prefix).</summary>
    public async Task SendBinaryAsync(byte[] data)
    {
        await _sendLock.WaitAsync(Timeout);
        try
        {
            await _ws.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task<Frame> ReceiveAsync()
    {
        try
        {
            return await _frames.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The connection closed while a frame was expected.");
        }
    }

    public async Task<string> ReceiveTextAsync()
    {
        var frame = await ReceiveAsync();
        frame.IsBinary.Should().BeFalse("a text frame was expected, got {0}", frame);
        return frame.Text;
    }

    public async Task<byte[]> ReceiveBinaryAsync()
    {
        var frame = await ReceiveAsync();
        frame.IsBinary.Should().BeTrue("a binary frame was expected, got {0}", frame);
        return frame.Data;
    }

    /// <summary>
    /// Receives the server's event <paramref name="eventName"/>, sent with no argument and asking for an
    /// acknowledgement, and acknowledges it with <paramref name="answerJson"/>.
    /// </summary>
    public async Task AnswerAsync(string eventName, string answerJson)
    {
        var packet = await ReceiveTextAsync();
        packet.Should().MatchRegex("^42[0-9]+\\[\"" + System.Text.RegularExpressions.Regex.Escape(eventName) + "\"\\]$");
        await SendAsync("43" + packet[2..packet.IndexOf('[')] + "[" + answerJson + "]");
    }

    /// <summary>Waits for the server to close the connection; frames still queued are ignored.</summary>
    public Task WaitClosedAsync() => Closed.WaitAsync(Timeout);

    /// <summary>The frames received so far that nobody read.</summary>
    public List<Frame> Drain()
    {
        var list = new List<Frame>();
        while (_frames.Reader.TryRead(out var frame)) list.Add(frame);
        return list;
    }

    /// <summary>Closes the WebSocket from the client side.</summary>
    public async Task CloseAsync()
    {
        try
        {
            await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
        }
        catch (WebSocketException)
        {
        }
    }

    /// <summary>Drops the connection without a close handshake, as a network failure would.</summary>
    public void Abort() => _ws.Abort();

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var message = await ReadMessageAsync(_ws);
                if (message.Type == WebSocketMessageType.Close) break;
                if (message.Type == WebSocketMessageType.Text)
                {
                    var text = Encoding.UTF8.GetString(message.Data);
                    if (text == "2")
                    {
                        if (AnswerPings) await SendAsync("3");
                        continue;
                    }
                    _frames.Writer.TryWrite(new Frame(false, text, []));
                }
                else
                {
                    _frames.Writer.TryWrite(new Frame(true, "", message.Data));
                }
            }
        }
        catch (Exception)
        {
            // The server went away without a close handshake: closed all the same.
        }
        finally
        {
            _frames.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReadMessageAsync(ClientWebSocket ws)
    {
        var buffer = new byte[8192];
        using var stream = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) return (WebSocketMessageType.Close, []);
            stream.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, stream.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ws.State == WebSocketState.Open)
        {
            try
            {
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception)
            {
            }
        }
        _ws.Abort();
        await _receiveLoop.WaitAsync(Timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _ws.Dispose();
    }
}
