using System.Net.WebSockets;

namespace EngineIo.Internal.Direct;

/// <summary>
/// Carried from <see cref="DirectWebSocketMiddleware"/> to the engine's HTTP endpoint in the connection's features
/// while a WebSocket handshake goes through the HTTP pipeline on its own. The endpoint, once the pipeline has let the
/// handshake through and the 101 is written, leaves the session here instead of running it inside the request; the
/// middleware runs it on the connection after the HTTP stack has let go of the connection (see
/// <see cref="DirectWebSocketMiddleware"/>).
/// </summary>
internal sealed class WebSocketHandoff
{
    /// <summary>The session to run once the request has ended, or null while none was handed over.</summary>
    public EngineSession? Session { get; private set; }

    public bool Base64Only { get; private set; }

    /// <summary>Whether the endpoint may still take this handoff: once, and only for the request that carried it.</summary>
    public bool IsOpen => Session is null;

    public void HandOver(EngineSession session, bool base64Only)
    {
        Session = session;
        Base64Only = base64Only;
    }
}
