using Bench;
using Bench.ControlServer;

// The control server: how fast bare Kestrel WebSockets move the same frames, with no Engine.IO or Socket.IO logic
// (no heartbeat, no sessions, no packet objects; a byte-level pattern match on the frames the load generator
// sends). The JSON wire and 1 KB binary attachments only.
//   dotnet ControlServer.dll --port N
var port = int.Parse(BenchServerCommands.Option(args, "port", "3000"));

var builder = WebApplication.CreateSlimBuilder();
// BENCH_INLINE=1: Kestrel runs the application's code on its I/O threads (UnsafePreferInlineScheduling, an application's
// choice, server-wide); measured beside the default, which hands every read and write to the thread pool.
if (Environment.GetEnvironmentVariable("BENCH_INLINE") == "1") builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

var app = builder.Build();
var rooms = new RoomRegistry();
app.UseWebSockets();
app.Run(async context =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }
    var socket = await context.WebSockets.AcceptWebSocketAsync();
    await new ControlConnection(socket, rooms).RunAsync(context.RequestAborted);
});

app.Lifetime.ApplicationStarted.Register(() => Console.Out.WriteLine("READY"));
BenchServerCommands.Start();
StallWatcher.StartIfAsked();
await app.RunAsync();
