using System.Net.WebSockets;
using System.Text;

namespace EngineIo.Tests.Infrastructure;

/// <summary>One whole WebSocket message as the client received it, or the close frame.</summary>
internal sealed record WebSocketFrame(WebSocketMessageType Type, byte[] Data, WebSocketCloseStatus? CloseStatus)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

internal static class WebSocketExtensions
{
    public static async Task<WebSocketFrame> ReceiveFrameAsync(this WebSocket socket)
    {
        var buffer = new byte[8192];
        using var data = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Limits.Await);
            if (result.MessageType == WebSocketMessageType.Close) return new WebSocketFrame(WebSocketMessageType.Close, [], result.CloseStatus);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return new WebSocketFrame(result.MessageType, data.ToArray(), null);
        }
    }

    /// <summary>Receives a text frame and returns its text.</summary>
    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var frame = await socket.ReceiveFrameAsync();
        frame.Type.Should().Be(WebSocketMessageType.Text, "a text frame was expected, got {0} ({1})", frame.Type, frame.CloseStatus);
        return frame.Text;
    }

    /// <summary>Receives frames until the server's close frame, which it returns; fails on anything else.</summary>
    public static async Task<WebSocketFrame> ReceiveCloseAsync(this WebSocket socket)
    {
        var frame = await socket.ReceiveFrameAsync();
        frame.Type.Should().Be(WebSocketMessageType.Close, "a close frame was expected, got \"{0}\"", frame.Text);
        return frame;
    }

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Limits.Await);

    public static Task SendBinaryAsync(this WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Limits.Await);
}
