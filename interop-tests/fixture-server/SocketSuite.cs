using SocketIo;

namespace FixtureServer;

/// <summary>The configuration the socket.io-protocol test suite expects (its README, "Test suite"), plus a broadcast echo.</summary>
internal static class SocketSuite
{
    public static void Configure(SocketIoOptions options, FixtureSettings settings)
    {
        // Both suites ask for the same heartbeat, payload limit and CORS; only the path and the connect timeout differ.
        EngineSuite.Configure(options.Engine);
        options.Path = "/socket.io";
        options.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
        options.Parser = settings.Parser;
        options.AllowEIO3 = settings.AllowEio3;
    }

    // The official suite attaches its listener for the next frame only after the previous one was handled, so two
    // frames read from the socket at once look like one to it. Our server coalesces writes (the CONNECT reply and
    // an emit from the connection handler usually share one TCP segment), so "auth" goes out a moment later.
    private static async Task EmitAuthAsync(SocketIoSocket socket)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        socket.Emit("auth", socket.Handshake.Auth);
    }

    public static void Setup(SocketIoServer io)
    {
        foreach (var name in new[] { "/", "/custom" })
        {
            var nsp = io.Of(name);
            nsp.OnConnection(socket =>
            {
                _ = EmitAuthAsync(socket);
                socket.On("message", e => socket.Emit("message-back", e.Args.ToArray()));
                socket.On("message-with-ack", e => e.Ack?.Send(e.Args.ToArray()));
                socket.On("broadcast", e => nsp.Emit("broadcast-back", e.Args.ToArray()));
            });
        }
    }
}
