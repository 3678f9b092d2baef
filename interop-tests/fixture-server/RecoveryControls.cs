using SocketIo;

namespace FixtureServer;

/// <summary>
/// <c>--recovery</c>: connection state recovery on, and events for the interop tests in interop-tests/recovery.
/// <list type="bullet">
/// <item><c>join</c> (room, ack): joins a room.</item>
/// <item><c>set-data</c> (value, ack): sets the socket's Data.</item>
/// <item><c>whoami</c> (ack): answers <c>{id, recovered, rooms, data}</c>.</item>
/// <item><c>ticks</c> (room, count, intervalMs, ack): broadcasts <c>tick</c> 1 to count to the room, one every
/// intervalMs, whether or not anyone is connected at the time.</item>
/// <item><c>drop</c>: the server drops this connection as a network failure would (<see cref="ConnectionDropper"/>).</item>
/// </list>
/// </summary>
internal static class RecoveryControls
{
    public static void Configure(SocketIoOptions options, TimeSpan? window)
    {
        // The recovery tests drop connections on purpose; one dropped early by a missed pong on a busy machine would
        // reject the acknowledgements they wait for. (The official suite, which needs the short timeout, runs without --recovery.)
        options.PingTimeout = TimeSpan.FromSeconds(5);
        options.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
        if (window is { } duration) options.ConnectionStateRecovery.MaxDisconnectionDuration = duration;
        // ConnectionDropper drops a WebSocket by aborting the HTTP request that carries it (IHttpContextAccessor, in the
        // event handler's flow): the session must stay inside its request rather than be handed off to the connection.
        options.Engine.WebSocketHandoff = false;
    }

    public static void Setup(SocketIoServer io, ConnectionDropper dropper)
    {
        io.OnConnection(socket =>
        {
            socket.On("join", e =>
            {
                socket.Join(e.Args.Get<string>(0)!);
                e.Ack?.Send();
            });
            socket.On("set-data", e =>
            {
                socket.Data = e.Args.Get<string>(0);
                e.Ack?.Send();
            });
            socket.On("whoami", e => e.Ack?.Send(new
            {
                id = socket.Id,
                recovered = socket.Recovered,
                rooms = socket.Rooms.Order(StringComparer.Ordinal).ToArray(),
                data = socket.Data,
            }));
            socket.On("ticks", e =>
            {
                var room = e.Args.Get<string>(0)!;
                var count = e.Args.Get<int>(1);
                var interval = TimeSpan.FromMilliseconds(e.Args.Get<int>(2));
                _ = TickAsync(io, room, count, interval);
                e.Ack?.Send();
            });
            socket.On("drop", _ =>
            {
                var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                socket.Disconnected += (_, _) => gone.TrySetResult();
                dropper.DropCurrent(gone.Task);
            });
        });
    }

    private static async Task TickAsync(SocketIoServer io, string room, int count, TimeSpan interval)
    {
        for (var tick = 1; tick <= count; tick++)
        {
            io.To(room).Emit("tick", tick);
            await Task.Delay(interval);
        }
    }
}
