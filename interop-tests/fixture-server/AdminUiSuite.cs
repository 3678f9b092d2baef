using System.Text.Json;
using System.Text.RegularExpressions;
using SocketIo;
using SocketIo.AdminUi;

namespace FixtureServer;

/// <summary>
/// The server of the admin UI interop tests (interop-tests/admin-ui): one server instrumented several times, one
/// admin namespace per configuration the tests need:
/// <list type="bullet">
/// <item><c>/admin</c>: no login, development mode (the npm tests' <c>auth: false</c>).</item>
/// <item><c>/custom</c>: the same under a custom name.</item>
/// <item><c>/secure</c>, <c>/secure-2a</c>, <c>/secure-2y</c>: user <c>admin</c>, password <c>changeit</c>, hashed as
/// <c>$2b$</c>, <c>$2a$</c> and <c>$2y$</c>.</item>
/// <item><c>/readonly</c>: read-only; <c>/production</c>: production mode.</item>
/// </list>
/// The main namespace lets a client drive its own server-side socket: <c>join</c>/<c>leave</c> room,
/// <c>rooms</c> (ack: its rooms), <c>set-data</c> value (assigns <c>socket.Data</c>), <c>bye</c> (the server
/// disconnects it), <c>hello</c> (ack "123"). A client connecting with query <c>greet=binary</c> is sent
/// <c>hello</c>(1, "2", bytes [3]); with <c>greet=ack</c>, <c>hello</c> with an acknowledgement, whose answer comes back
/// as <c>hello-acked</c>. Dynamic namespaces match <c>/dynamic-&lt;digits&gt;</c>.
/// </summary>
internal static class AdminUiSuite
{
    // bcrypt hashes of "changeit" (the admin-ui package's own tests use the $2b$ one); the $2a$ and $2y$ prefixes name
    // the same algorithm for such a password, which is what servers hashing with PHP or older libraries produce.
    private const string ChangeItHash = "$2b$10$nu1FHRkuxkZkqID.31gz4uQsyERZAn.m4IIruysTsHDODBtrqS5Me";

    public static void Configure(SocketIoOptions options, FixtureSettings settings)
    {
        ClientSuite.Configure(options, settings);
    }

    public static void Setup(SocketIoServer io, ILoggerFactory loggers)
    {
        io.Instrument(new AdminUiOptions { AllowAnonymous = true }, loggers);
        io.Instrument(new AdminUiOptions { AllowAnonymous = true, NamespaceName = "/custom" }, loggers);
        io.Instrument(new AdminUiOptions { NamespaceName = "/secure", Auth = new AdminUiBasicAuthentication("admin", ChangeItHash) }, loggers);
        io.Instrument(new AdminUiOptions { NamespaceName = "/secure-2a", Auth = new AdminUiBasicAuthentication("admin", "$2a$" + ChangeItHash[4..]) }, loggers);
        io.Instrument(new AdminUiOptions { NamespaceName = "/secure-2y", Auth = new AdminUiBasicAuthentication("admin", "$2y$" + ChangeItHash[4..]) }, loggers);
        io.Instrument(new AdminUiOptions { NamespaceName = "/readonly", AllowAnonymous = true, ReadOnly = true }, loggers);
        io.Instrument(new AdminUiOptions { NamespaceName = "/production", AllowAnonymous = true, Mode = AdminUiMode.Production, ServerId = "fixture-production" }, loggers);

        io.OnConnection(socket =>
        {
            switch (socket.Handshake.Query["greet"].ToString())
            {
                case "binary":
                    socket.Emit("hello", 1, "2", new byte[] { 3 });
                    break;
                case "ack":
                    _ = AskAsync(socket);
                    break;
            }
            Handlers(socket);
        });
        io.Of(new Regex("^/dynamic-[0-9]+$")).OnConnection(Handlers);
    }

    private static async Task AskAsync(SocketIoSocket socket)
    {
        var answer = await socket.Timeout(TimeSpan.FromSeconds(10)).EmitWithAckAsync<string>("hello");
        socket.Emit("hello-acked", answer);
    }

    private static void Handlers(SocketIoSocket socket)
    {
        socket.On<string>("join", (room, ack) =>
        {
            socket.Join(room!);
            ack.Send((object)socket.Rooms.ToArray());
        });
        socket.On<string>("leave", (room, ack) =>
        {
            socket.Leave(room!);
            ack.Send((object)socket.Rooms.ToArray());
        });
        socket.On<JsonElement>("rooms", (_, ack) => ack.Send((object)socket.Rooms.ToArray()));
        socket.On<JsonElement>("set-data", (value, ack) =>
        {
            socket.Data = value;
            ack.Send(true);
        });
        socket.On<JsonElement>("bye", _ => socket.Disconnect());
        socket.On<JsonElement>("hello", (_, ack) => ack.Send("123"));
    }
}
