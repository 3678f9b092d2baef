using System.Collections.Concurrent;
using System.Net.WebSockets;
using EngineIo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Logging;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace SocketIo.Internal.PlainWebSockets;

/// <summary>One <c>MapPlainWebSocket</c> endpoint: accepts the WebSockets and keeps its connections for shutdown.</summary>
internal sealed class PlainWebSocketEndpoint
{
    private readonly SocketIoServer _server;
    private readonly string _namespace;
    private readonly PlainWebSocketOptions _options;
    private readonly WebSocketAcceptContext _acceptContext;
    private readonly RequestDelegate _pipeline;
    private readonly ConcurrentDictionary<PlainWebSocketConnection, byte> _connections = new();
    private volatile bool _stopping;

    public PlainWebSocketEndpoint(SocketIoServer server, string @namespace, PlainWebSocketOptions options)
    {
        _server = server;
        _namespace = @namespace;
        _options = options;
        _acceptContext = new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        };
        // As the engine does: the WebSocket middleware runs inline, so that no app.UseWebSockets() is needed (and
        // when the application did add it, it steps aside).
        var webSockets = new WebSocketMiddleware(HandleCoreAsync, MsOptions.Create(new WebSocketOptions()), server.LoggerFactory);
        _pipeline = webSockets.Invoke;
    }

    public Task HandleRequestAsync(HttpContext context) => _pipeline(context);

    private async Task HandleCoreAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint takes WebSocket connections only.").ConfigureAwait(false);
            return;
        }
        if (_stopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var request = new EngineRequestInfo(context, _server.TimeProvider.GetUtcNow());
        using var socket = await context.WebSockets.AcceptWebSocketAsync(_acceptContext).ConfigureAwait(false);
        var connection = new PlainWebSocketConnection(_server, socket, request, _namespace, _options);
        _connections[connection] = 0;
        try
        {
            if (_stopping) connection.CloseWithStatus((int)WebSocketCloseStatus.EndpointUnavailable, "server shutting down");
            await connection.RunAsync(context.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>The application is stopping: every client is told with 1001 (going away), as their APIs promise.</summary>
    public void Shutdown()
    {
        _stopping = true;
        foreach (var connection in _connections.Keys) connection.Shutdown();
    }
}
