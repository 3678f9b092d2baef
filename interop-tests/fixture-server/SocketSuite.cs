using System.Text.Json;
using SocketIo;

namespace FixtureServer;

/// <summary>
/// The configuration the socket.io-protocol test suite expects (its README, "Test suite"), plus what the interop
/// tests need besides: a broadcast echo, a server-side emit with an acknowledgement (<c>ask</c>), and a namespace
/// that refuses clients without the right token (<c>/guarded</c>).
/// </summary>
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
                // The server asks the client a question with an acknowledgement, and reports the answer as "answer".
                socket.On("ask", async e =>
                {
                    var answer = await socket.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", e.Args.ToArray());
                    socket.Emit("answer", answer.ToArray());
                });
            });
        }

        // No token: refused with a message only. A wrong one: refused with data too. "letmein": connected.
        var guarded = io.Of("/guarded");
        guarded.Use((socket, _) =>
        {
            var auth = socket.Handshake.Auth;
            if (!auth.TryGetProperty("token", out var token)) throw new ConnectionRefusedException("no token");
            if (token.ValueKind != JsonValueKind.String || token.GetString() != "letmein")
                throw new ConnectionRefusedException("bad token", new { reason = "the token is wrong" });
            return ValueTask.CompletedTask;
        });
        guarded.OnConnection(socket => _ = EmitAuthAsync(socket));
    }
}
