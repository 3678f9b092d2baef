using System.Text.Json;
using Bench;
using SocketIo;
using SocketIo.Redis;

// Our bench server: the same behaviour as bench/node-server.mjs, written against the public API only.
//   dotnet DotnetServer.dll --port N [--parser json|msgpack] [--redis host:port]
// --redis joins a cluster through the classic Redis adapter (UseRedisAdapter), as node-server.mjs does with
// @socket.io/redis-adapter (the cluster scenario).
// Listens on 127.0.0.1 only; see BenchServerCommands for the stdin contract with the load generator.
var port = int.Parse(BenchServerCommands.Option(args, "port", "3000"));
var parser = BenchServerCommands.Option(args, "parser", "json");
var redis = BenchServerCommands.Option(args, "redis", "");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
// BENCH_SERVER_WARNINGS=1 (the soak): the server's warnings and errors on stderr, e.g. a slow consumer cut off.
if (Environment.GetEnvironmentVariable("BENCH_SERVER_WARNINGS") == "1")
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning)
        .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
// BENCH_OURS_MODE picks how WebSockets are taken: "default" (AddSocketIo + MapSocketIo and nothing else: the handshake
// runs the HTTP pipeline, then the WebSocket handoff runs the session on the connection), "direct"
// (UseSocketIoDirectWebSockets: fresh handshakes answered at the connection level), "no-handoff" (the default path with
// options.Engine.WebSocketHandoff = false: every WebSocket stays inside its HTTP request), "no-middleware" (the
// endpoint's defaults replaced, so that no connection middleware of ours runs at all: the plain path before round 5).
var mode = Environment.GetEnvironmentVariable("BENCH_OURS_MODE") ?? "default";
// BENCH_INLINE=1: Kestrel runs the application's code on its I/O threads (UnsafePreferInlineScheduling, an application's
// choice, server-wide); measured beside the default, which hands every read and write to the thread pool.
if (Environment.GetEnvironmentVariable("BENCH_INLINE") == "1") builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    if (mode == "no-middleware") kestrel.ConfigureEndpointDefaults(_ => { });
    kestrel.Listen(System.Net.IPAddress.Loopback, port, listen =>
    {
        if (mode == "direct") listen.UseSocketIoDirectWebSockets();
    });
});
builder.Services.AddSocketIo(options =>
{
    if (parser == "msgpack") options.Parser = SocketIoParser.MsgPack;
    if (redis.Length > 0) options.UseRedisAdapter(redis);
    if (mode == "no-handoff") options.Engine.WebSocketHandoff = false;
});

var app = builder.Build();
app.MapSocketIo(io =>
{
    io.OnConnection(socket =>
    {
        // join(rooms, ack): rooms is an array of room names.
        socket.On<string[]>("join", (rooms, ack) =>
        {
            socket.Join(rooms!);
            ack.Send();
        });
        // publish(room, payload): fan the payload out to the room.
        socket.On("publish", e => io.To(e.Args.Get<string>(0)!).Emit("msg", Payload(e.Args, 1)));
        // echo(payload, ack): the acknowledgement carries the payload back.
        socket.On("echo", e => e.Ack?.Send(Payload(e.Args, 0)));
        // ping-ev(payload): answered with a pong-ev event carrying the payload (the polling exchange).
        socket.On("ping-ev", e => socket.Emit("pong-ev", Payload(e.Args, 0)));
    });
});

app.Lifetime.ApplicationStarted.Register(() => Console.Out.WriteLine("READY"));
BenchServerCommands.Start();
StallWatcher.StartIfAsked();
await app.RunAsync();

// A payload is sent on as it came: a binary attachment stays binary, any other value stays the same JSON.
static object Payload(SocketIoArguments args, int index) =>
    args.Attachments.Count > 0 ? args.Get<ReadOnlyMemory<byte>>(index) : (object)args[index];
