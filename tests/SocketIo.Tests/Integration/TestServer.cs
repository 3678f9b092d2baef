using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SocketIo.Tests.Integration;

/// <summary>A real Kestrel server on a free loopback port running a Socket.IO server with a short heartbeat.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;

    private TestServer(WebApplication app, SocketIoServer io, Uri baseUri)
    {
        _app = app;
        Io = io;
        BaseUri = baseUri;
    }

    public SocketIoServer Io { get; }

    /// <summary>The application's services (its own <c>IMeterFactory</c>, so that tests read only this server's meters).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseUri { get; }

    /// <summary>Every disconnect reason seen by the server, by socket id (recorded for every namespace the tests configure through <see cref="Track"/>).</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<DisconnectReason>> Disconnects { get; } = new();

    public ConcurrentDictionary<string, TaskCompletionSource<DisconnectReason>> Disconnectings { get; } = new();

    public static async Task<TestServer> StartAsync(Action<SocketIoServer>? configure = null, Action<SocketIoOptions>? options = null, TimeProvider? timeProvider = null, bool directWebSockets = false, Action<WebApplication>? endpoints = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // SIO_TEST_LOG=1 shows the server's debug log when investigating a failure.
        if (Environment.GetEnvironmentVariable("SIO_TEST_LOG") == "1") builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        if (directWebSockets)
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.UseSocketIoDirectWebSockets()));
        else
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A client that vanished without answering the WebSocket close handshake would otherwise hold the
        // shutdown for the engine's 5 s close timeout: Kestrel aborts such connections after this.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        if (timeProvider is not null) builder.Services.AddSingleton(timeProvider);
        builder.Services.AddSocketIo(o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(300);
            // Generous: a loaded CI machine can hold a client's pong back for a few hundred milliseconds (more while
            // every test assembly starts at once), and a ping timeout in the middle of an unrelated test is a false
            // failure. The tests of the ping timeout itself set a shorter one.
            o.PingTimeout = TimeSpan.FromMilliseconds(2000);
            options?.Invoke(o);
        });
        var app = builder.Build();
        TestServer? self = null;
        var io = app.MapSocketIo(server =>
        {
            // Every socket of the main namespace reports its disconnect reasons; tests add the rest.
            server.OnConnection(socket =>
            {
                self!.Track(socket);
                // "echo" answers its acknowledgement with its own arguments: the liveness probe of the tests.
                socket.On("echo", e => e.Ack?.Send(e.Args.ToArray()));
            });
            configure?.Invoke(server);
        });
        endpoints?.Invoke(app);
        await app.StartAsync().WaitAsync(Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new TestServer(app, io, new Uri(address));
        return self;
    }

    /// <summary>Records the socket's disconnecting and disconnect reasons.</summary>
    public void Track(SocketIoSocket socket)
    {
        socket.Disconnecting += (s, reason) => Disconnectings.GetOrAdd(s.Id, _ => NewReason()).TrySetResult(reason);
        socket.Disconnected += (s, reason) => Disconnects.GetOrAdd(s.Id, _ => NewReason()).TrySetResult(reason);
    }

    public Task<DisconnectReason> DisconnectReasonAsync(string socketId) =>
        Disconnects.GetOrAdd(socketId, _ => NewReason()).Task.WaitAsync(Timeout);

    public Task<DisconnectReason> DisconnectingReasonAsync(string socketId) =>
        Disconnectings.GetOrAdd(socketId, _ => NewReason()).Task.WaitAsync(Timeout);

    public SocketIoSocket Socket(string id, string nsp = "/") =>
        Io.Of(nsp).TryGetSocket(id, out var socket) ? socket : throw new InvalidOperationException($"No socket {id} in {nsp}.");

    public Uri WebSocketUri(string query = "") =>
        new($"ws://{BaseUri.Authority}/socket.io/?EIO=4&transport=websocket{query}");

    /// <summary>A fresh client on the main namespace gets an acknowledged echo: the server still works.</summary>
    public async Task AssertAliveAsync()
    {
        await using var probe = await RawClient.ConnectAsync(this);
        await probe.JoinAsync();
        await probe.SendAsync("421[\"echo\",\"still alive\"]");
        (await probe.ReceiveTextAsync()).Should().Be("431[\"still alive\"]");
    }

    private static TaskCompletionSource<DisconnectReason> NewReason() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await _app.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
    }
}
