using Microsoft.AspNetCore.Http;

namespace EngineIo.Internal;

/// <summary>The Engine.IO query of one HTTP request, parsed once.</summary>
internal readonly record struct EngineRequest(
    int? Protocol,
    EngineIoTransports Transport,
    string? Sid,
    bool IsWebSocketUpgrade,
    bool Base64Only)
{
    public static EngineRequest Parse(HttpContext context)
    {
        var query = context.Request.Query;
        int? protocol = query["EIO"].ToString() switch
        {
            "4" => 4,
            "3" => 3,
            _ => null,
        };
        // Only the exact names count: "__proto__" or "Polling" are unknown transports, never a lookup.
        var transport = query["transport"].ToString() switch
        {
            "polling" => EngineIoTransports.Polling,
            "websocket" => EngineIoTransports.WebSocket,
            _ => EngineIoTransports.None,
        };
        var sid = query["sid"].ToString();
        return new EngineRequest(
            protocol,
            transport,
            sid.Length == 0 ? null : sid,
            context.WebSockets.IsWebSocketRequest,
            query.ContainsKey("b64"));
    }
}
