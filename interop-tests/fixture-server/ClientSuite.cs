using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SocketIo;

namespace FixtureServer;

/// <summary>
/// The server the socket.io-client interop tests (interop-tests/socket.io) talk to. Each namespace answers the
/// same commands, which let a test drive every server-side feature from the client:
/// <list type="bullet">
/// <item><c>whoami</c> (ack): the socket's id, namespace, auth, query and transport.</item>
/// <item><c>echo</c>: emits <c>echo</c> back with the same arguments; <c>echo-ack</c> (ack): acknowledges with them.</item>
/// <item><c>ask</c> {event, args, timeoutMs} (ack): emits <c>event</c> to the client with an ack and a timeout, and
/// acknowledges with {ok, answer} or {ok: false, error}.</item>
/// <item><c>send-binary</c> (ack): emits <c>binary</c> with a Buffer, binary nested in an object and several
/// attachments, and acknowledges with binary too.</item>
/// <item><c>join</c>/<c>leave</c> room (ack: the socket's rooms); <c>broadcast</c> {event, args, to?, except?,
/// fromSocket?, volatile?} (ack once emitted); <c>broadcast-with-ack</c> {event, to, timeoutMs} (ack: the answers, and
/// whether it timed out).</item>
/// <item><c>regular-then-volatile</c>: a regular event and right after it a volatile one; <c>volatile</c>: a
/// volatile event.</item>
/// <item><c>disconnect-me</c> {close}: <c>socket.Disconnect(close)</c>; <c>drop-transport</c>: closes the Engine.IO
/// session under the socket without a DISCONNECT packet.</item>
/// </list>
/// Namespaces: <c>/</c> and <c>/custom</c>; dynamic ones matching <c>/dynamic-&lt;digits&gt;</c>; <c>/observer</c>,
/// which hears <c>disconnected</c> {id, nsp, reason} for every socket of the others. The middleware of <c>/</c> and
/// <c>/custom</c> refuses a client whose auth token is "refused", with data {code, detail}.
/// </summary>
internal static class ClientSuite
{
    private static readonly TimeSpan AckTimeoutCeiling = TimeSpan.FromSeconds(10);

    public static void Configure(SocketIoOptions options, FixtureSettings settings)
    {
        EngineSuite.Configure(options.Engine);
        options.Path = "/socket.io";
        options.Parser = settings.Parser;
        options.AllowEIO3 = settings.AllowEio3;
        // Heartbeats still run during the tests, but a loaded machine that answers a ping late must not turn into a
        // ping timeout in the middle of a test about something else.
        options.PingInterval = TimeSpan.FromMilliseconds(500);
        options.PingTimeout = TimeSpan.FromMilliseconds(2000);
    }

    public static void Setup(SocketIoServer io)
    {
        var observer = io.Of("/observer");

        // On /custom too, for Socket.IO 2.x clients: they can only pass a token in the query of a custom namespace.
        foreach (var guarded in new[] { io.Of("/"), io.Of("/custom") })
        {
            guarded.Use((socket, _) =>
            {
                if (socket.Handshake.Auth is { ValueKind: JsonValueKind.Object } auth
                    && auth.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                    && token.GetString() == "refused")
                {
                    throw new ConnectionRefusedException("refused by the fixture", new { code = "E_REFUSED", detail = "the token is 'refused'" });
                }
                return ValueTask.CompletedTask;
            });
        }

        foreach (var nsp in new[] { io.Of("/"), io.Of("/custom"), io.Of(new Regex("^/dynamic-[0-9]+$")) })
        {
            nsp.OnConnection(socket =>
            {
                AddCommands(socket);
                socket.Disconnected += (s, reason) =>
                    observer.Emit("disconnected", new { id = s.Id, nsp = s.Namespace.Name, reason = reason.ToProtocolString() });
            });
        }
    }

    private static void AddCommands(SocketIoSocket socket)
    {
        var nsp = socket.Namespace;

        socket.On("whoami", e => e.Ack?.Send(new
        {
            id = socket.Id,
            nsp = nsp.Name,
            auth = socket.Handshake.Auth,
            query = socket.Handshake.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            transport = socket.TransportName,
        }));

        socket.On("echo", e => socket.Emit("echo", e.Args.ToArray()));
        socket.On("echo-ack", e => e.Ack?.Send(e.Args.ToArray()));

        socket.On("ask", async e =>
        {
            var request = RequestOf(e);
            var timeout = TimeSpan.FromMilliseconds((double)request["timeoutMs"]!);
            try
            {
                var answer = await socket.Timeout(timeout).EmitWithAckAsync((string)request["event"]!, ArgsOf(request));
                e.Ack?.Send(new { ok = true, answer = answer.ToArray() });
            }
            catch (TimeoutException ex)
            {
                e.Ack?.Send(new { ok = false, error = ex.Message });
            }
        });

        socket.On("send-binary", e =>
        {
            var all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            socket.Emit("binary",
                all,
                new { nested = new { bytes = new byte[] { 1, 2, 3 }, list = new object[] { new byte[] { 4 }, "text", new byte[] { 5, 6 } } } },
                "not binary");
            e.Ack?.Send(new byte[] { 0xca, 0xfe }, new { inside = new byte[] { 0xbe, 0xef } });
        });

        socket.On("join", e =>
        {
            socket.Join(e.Args.Get<string>(0)!);
            e.Ack?.Send((object)socket.Rooms.Order(StringComparer.Ordinal).ToArray());
        });
        socket.On("leave", e =>
        {
            socket.Leave(e.Args.Get<string>(0)!);
            e.Ack?.Send((object)socket.Rooms.Order(StringComparer.Ordinal).ToArray());
        });

        socket.On("broadcast", e =>
        {
            var request = RequestOf(e);
            var target = Target(socket, request);
            if (request["volatile"] is JsonValue v && (bool)v) target = target.Volatile;
            target.Emit((string)request["event"]!, ArgsOf(request));
            e.Ack?.Send("done");
        });

        socket.On("broadcast-with-ack", async e =>
        {
            var request = RequestOf(e);
            var timeout = TimeSpan.FromMilliseconds((double)request["timeoutMs"]!);
            var target = Target(socket, request).Timeout(timeout < AckTimeoutCeiling ? timeout : AckTimeoutCeiling);
            try
            {
                var answers = await target.EmitWithAckAsync((string)request["event"]!, ArgsOf(request));
                e.Ack?.Send(new { timedOut = false, answers = answers.Select(Flatten).ToArray() });
            }
            catch (SocketIoAckTimeoutException ex)
            {
                e.Ack?.Send(new { timedOut = true, answers = ex.Responses.Select(Flatten).ToArray() });
            }
        });

        socket.On("regular-then-volatile", _ =>
        {
            socket.Emit("regular", 1);
            socket.Volatile.Emit("volatile", 2);
        });
        socket.On("volatile", e => socket.Volatile.Emit("volatile", e.Args.ToArray()));

        socket.On("disconnect-me", e => socket.Disconnect(RequestOf(e)["close"] is JsonValue close && (bool)close));
        socket.On("drop-transport", _ => socket.Connection.Close());
    }

    /// <summary>The broadcast a command asks for: from the namespace or (with fromSocket) from the sender, to/except rooms.</summary>
    private static BroadcastOperator Target(SocketIoSocket socket, JsonObject request)
    {
        var fromSocket = request["fromSocket"] is JsonValue f && (bool)f;
        // Under --redis the namespace's broadcasts reach the whole cluster (unless the command asks for local).
        var local = ClusterControls.Enabled ? request["local"] is JsonValue l && (bool)l : true;
        var target = fromSocket ? socket.Broadcast : local ? socket.Namespace.Local : BroadcastToAll(socket.Namespace);
        if (request["to"] is JsonArray to) target = target.To(to.Select(r => (string)r!));
        if (request["except"] is JsonArray except) target = target.Except(except.Select(r => (string)r!));
        return target;
    }

    // The namespace-wide operator, with no room nor flag.
    private static BroadcastOperator BroadcastToAll(SocketIoNamespace nsp) => nsp.Compress(true);

    /// <summary>The first argument of a command, as a JSON object whose binary parts are byte arrays (so they can be emitted again).</summary>
    private static JsonObject RequestOf(SocketIoEvent e) => e.Args.ToArray() is [JsonObject request, ..] ? request : [];

    /// <summary>The <c>args</c> array of a command.</summary>
    private static object?[] ArgsOf(JsonObject request) =>
        request["args"] is JsonArray args ? args.Select(a => (object?)a).ToArray() : [];

    /// <summary>One client's answer to a broadcast with ack: its first argument.</summary>
    private static object? Flatten(SocketIoArguments answer) => answer.Count > 0 ? answer[0].Clone() : null;
}
