using EngineIo;
using SocketIo;
using FixtureServer;

// The server the Node interop tests and the official protocol test suites run against.
//   --suite engine.io   a bare Engine.IO echo server configured as engine.io-protocol's test-suite README says,
//                       plus the test commands of ControlHandler (__close__, __session__:SID)
//   --suite socket.io   a Socket.IO server configured as socket.io-protocol's test-suite README says
//   --suite clients     a Socket.IO server for the socket.io-client interop tests (ClientSuite: commands that drive
//                       every server feature from the client)
//   --suite admin-ui    a Socket.IO server instrumented for the admin UI in several configurations (AdminUiSuite)
//   --parser P          json (default) or msgpack: the Socket.IO parser of the socket.io and clients suites
//   --port N            the port (default 3000); it listens on localhost, IPv4 and IPv6 loopback only
//   --recovery          with --suite socket.io: connection state recovery on, plus the test events of
//                       RecoveryControls (join, set-data, whoami, ticks, drop)
//   --recovery-window-ms N   the same, with a maximum disconnection duration of N ms
//   --verbose           log at Debug level
//   --allow-eio3        also accept clients of protocol v3 (Engine.IO 3 / Socket.IO 2.x clients), with any suite
//   --redis C           join a cluster through Redis at C (127.0.0.1:6379 or redis://127.0.0.1:6379), with any
//                       Socket.IO suite; see ClusterControls for the commands the clients suite gains
//   --redis-mode M      classic (default: @socket.io/redis-adapter's createAdapter) or sharded (createShardedAdapter),
//                       or streams (@socket.io/redis-streams-adapter's createAdapter)
//   --stream-count N    with --redis-mode streams: the namespaces spread over N streams (streamCount)
//   --sharded-pubsub    with --redis-mode streams: requests on sharded pub/sub (useShardedPubSub)
//   --postgres C        join a cluster through PostgreSQL at C (an Npgsql connection string) with the PostgreSQL
//                       adapter (@socket.io/postgres-adapter's createAdapter), instead of --redis
//   --direct-websockets with --suite socket.io or clients: fresh WebSocket connections are taken at the connection
//                       level (UseSocketIoDirectWebSockets); everything else still goes through MapSocketIo
var settings = FixtureSettings.Parse(args);

if (settings.Recovery && settings.Suite != "socket.io")
{
    Console.Error.WriteLine("--recovery needs --suite socket.io");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Warning);
if (settings.DirectWebSockets && settings.Suite is not ("socket.io" or "clients"))
{
    Console.Error.WriteLine("--direct-websockets needs --suite socket.io or clients");
    return 2;
}
if (settings.DirectWebSockets)
    builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(settings.Port, listen => listen.UseSocketIoDirectWebSockets()));
else
    builder.WebHost.UseUrls($"http://localhost:{settings.Port}");
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

if (settings.Suite == "socket.io")
{
    builder.Services.AddSocketIo(options =>
    {
        SocketSuite.Configure(options, settings);
        if (settings.Recovery) RecoveryControls.Configure(options, settings.RecoveryWindow);
    });
    if (settings.Recovery) builder.Services.AddHttpContextAccessor();
}
if (settings.Suite == "clients") builder.Services.AddSocketIo(options => ClientSuite.Configure(options, settings));
if (settings.Clustered && !ClusterControls.Configure(builder.Services, settings)) return 2;
if (settings.Suite == "admin-ui") builder.Services.AddSocketIo(options => AdminUiSuite.Configure(options, settings));

var app = builder.Build();
switch (settings.Suite)
{
    case "engine.io":
        app.MapEngineIo(new ControlHandler(new EchoHandler()), options =>
        {
            EngineSuite.Configure(options);
            options.AllowEIO3 = settings.AllowEio3;
        });
        break;
    case "socket.io" when settings.Recovery:
        var dropper = new ConnectionDropper(app.Services.GetRequiredService<IHttpContextAccessor>());
        app.Use(dropper.TrackAsync);
        app.MapSocketIo(io =>
        {
            SocketSuite.Setup(io);
            RecoveryControls.Setup(io, dropper);
        });
        break;
    case "socket.io":
        app.MapSocketIo(SocketSuite.Setup);
        break;
    case "clients":
        app.MapSocketIo(io =>
        {
            ClientSuite.Setup(io);
            if (settings.Clustered) ClusterControls.Setup(io, app.Services);
        });
        break;
    case "admin-ui":
        app.MapSocketIo(io => AdminUiSuite.Setup(io, app.Services.GetRequiredService<ILoggerFactory>()));
        break;
    default:
        Console.Error.WriteLine($"unknown suite '{settings.Suite}' (expected engine.io, socket.io or clients)");
        return 2;
}

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"fixture-server listening on port {settings.Port} (suite {settings.Suite})"));
await app.RunAsync();
return 0;
