using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>
/// A minimal Socket.IO v5 client over a raw WebSocket (Engine.IO v4), so that tests assert the exact frames the
/// service sends. It answers the engine's pings by itself; every other frame is queued for the test.
/// </summary>
internal sealed class RawSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly CancellationTokenSource _stop = new();
    // The receive loop answers pings while a test sends: a WebSocket takes one send at a time.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task? _receiving;

    private RawSocketClient()
    {
    }

    /// <summary>Opens the engine session; then <see cref="JoinAsync"/> sends the CONNECT packet.</summary>
    public static async Task<RawSocketClient> OpenAsync(MarketplaceHost host, string query = "", string? authorizationHeader = null)
    {
        var client = new RawSocketClient();
        if (authorizationHeader is not null) client._socket.Options.SetRequestHeader("Authorization", authorizationHeader);
        var uri = new Uri($"ws://{host.BaseUri.Authority}/socket.io/?EIO=4&transport=websocket{query}");
        await client._socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(MarketplaceHost.Timeout);
        client._receiving = client.ReceiveLoopAsync();
        (await client.ReceiveAsync()).Should().StartWith("0{", "the engine's open packet comes first");
        return client;
    }

    /// <summary>Opens and connects to the main namespace with <c>auth</c>; returns the CONNECT or CONNECT_ERROR reply.</summary>
    public static async Task<(RawSocketClient Client, string Reply)> ConnectAsync(MarketplaceHost host, string? authJson = null, string query = "", string? authorizationHeader = null)
    {
        var client = await OpenAsync(host, query, authorizationHeader);
        var reply = await client.JoinAsync(authJson);
        return (client, reply);
    }

    /// <summary>Sends CONNECT (with the auth payload when given) and returns the reply: <c>40{"sid":…}</c> or <c>44{…}</c>.</summary>
    public async Task<string> JoinAsync(string? authJson = null)
    {
        await SendAsync("40" + (authJson ?? ""));
        return await ReceiveAsync();
    }

    public static string BearerAuth(string token) => $$"""{"token":"Bearer {{token}}"}""";

    public async Task SendAsync(string frame)
    {
        await _sending.WaitAsync(MarketplaceHost.Timeout);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(MarketplaceHost.Timeout);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Emits an event (<c>42[…]</c>, or <c>42id[…]</c> when asking for an acknowledgement).</summary>
    public Task EmitAsync(string eventName, string? payloadJson = null, int? ackId = null) =>
        SendAsync($"42{ackId}[\"{eventName}\"{(payloadJson is null ? "" : "," + payloadJson)}]");

    /// <summary>The connection-state-recovery offset of the last event that carried one.</summary>
    public string? LastOffset { get; private set; }

    // The service turns connection state recovery on, so the library appends an offset ("<8 hex>-<n>") to each event
    // it emits without an ack. The tests compare the payloads of the contract: the offset is taken off (and kept).
    private static readonly Regex TrailingOffset = new(@",""(?<offset>[0-9a-f]{8}-[0-9]+)""\]$", RegexOptions.CultureInvariant);

    private string WithoutOffset(string frame)
    {
        if (!frame.StartsWith("42[", StringComparison.Ordinal)) return frame;
        var match = TrailingOffset.Match(frame);
        if (!match.Success) return frame;
        LastOffset = match.Groups["offset"].Value;
        return frame[..match.Index] + "]";
    }

    /// <summary>The next frame, whatever it is.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null) =>
        await _frames.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? MarketplaceHost.Timeout);

    /// <summary>The next frame that starts with <paramref name="prefix"/>; frames before it are dropped.</summary>
    public async Task<string> ReceiveStartingWithAsync(string prefix, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? MarketplaceHost.Timeout);
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(cts.Token);
            if (frame.StartsWith(prefix, StringComparison.Ordinal)) return frame;
        }
    }

    /// <summary>Whether the server closed the connection (the WebSocket closed) within the timeout.</summary>
    public async Task<bool> ClosedAsync(TimeSpan timeout)
    {
        try
        {
            await _receiving!.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                var frame = Encoding.UTF8.GetString(message.ToArray());
                if (frame == "2") await SendAsync("3");
                else _frames.Writer.TryWrite(WithoutOffset(frame));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Stopped by the test, or the server went away: the channel completes below either way.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
            {
                // Already closing on the server's side.
            }
        }
        _socket.Dispose();
    }
}
