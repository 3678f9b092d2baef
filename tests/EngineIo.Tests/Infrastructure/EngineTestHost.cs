using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EngineIo.Tests.Infrastructure;

/// <summary>
/// A real Kestrel on 127.0.0.1 with an ephemeral port, serving one Engine.IO server mapped with MapEngineIo and a
/// <see cref="RecordingHandler"/>. Raw clients (HttpClient, ClientWebSocket, TCP) talk to it over the loopback.
/// </summary>
internal sealed class EngineTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EngineTestHost(WebApplication app, EngineIoServer server, RecordingHandler handler, Uri baseAddress)
    {
        _app = app;
        Server = server;
        Handler = handler;
        BaseAddress = baseAddress;
        Http = CreateHttpClient();
    }

    public EngineIoServer Server { get; }

    public RecordingHandler Handler { get; }

    /// <summary>Like <c>http://127.0.0.1:54321</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client that neither decompresses nor keeps cookies, so tests see the raw responses.</summary>
    public HttpClient Http { get; }

    public int Port => BaseAddress.Port;

    /// <summary>
    /// Starts a host. With a <paramref name="timeProvider"/>, the server is built by hand to use that clock;
    /// <paramref name="middleware"/> runs in the pipeline before the engine's endpoint (to watch its requests).
    /// </summary>
    public static async Task<EngineTestHost> StartAsync(Action<EngineIoOptions>? configure = null, TimeProvider? timeProvider = null, Action<IApplicationBuilder>? middleware = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // Set ENGINEIO_TEST_LOG=1 to see the engine's and Kestrel's logs while debugging a test.
        if (Environment.GetEnvironmentVariable("ENGINEIO_TEST_LOG") == "1") builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        middleware?.Invoke(app);

        var handler = new RecordingHandler();
        EngineIoServer server;
        if (timeProvider is null)
        {
            server = app.MapEngineIo(handler, configure);
        }
        else
        {
            var options = new EngineIoOptions();
            configure?.Invoke(options);
            server = new EngineIoServer(options, handler, app.Services.GetService<ILoggerFactory>(), timeProvider);
            app.MapEngineIo(server);
        }

        await app.StartAsync().WaitAsync(Limits.Await);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EngineTestHost(app, server, handler, new Uri(address));
    }

    public HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = BaseAddress,
            Timeout = Limits.Await,
        };

    /// <summary>The engine's path with a query, such as <c>/engine.io/?EIO=4&amp;transport=polling</c>.</summary>
    public string Path(string query) => $"{Server.Options.Path}/?{query}";

    public string PollingPath(string? sid = null) => Path(sid is null ? "EIO=4&transport=polling" : $"EIO=4&transport=polling&sid={sid}");

    public Uri WebSocketUri(string? sid = null) =>
        new($"ws://{BaseAddress.Authority}{Path(sid is null ? "EIO=4&transport=websocket" : $"EIO=4&transport=websocket&sid={sid}")}");

    /// <summary>Opens a polling session: the handshake GET, checked and parsed.</summary>
    public Task<PollingClient> OpenPollingAsync() => PollingClient.OpenAsync(this);

    /// <summary>Opens a WebSocket session and reads its open packet.</summary>
    public async Task<(ClientWebSocket Socket, string Sid, string OpenPacket)> OpenWebSocketAsync(Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await ConnectWebSocketAsync(null, configure);
        var open = await socket.ReceiveTextAsync();
        open.Should().StartWith("0{");
        using var json = System.Text.Json.JsonDocument.Parse(open[1..]);
        return (socket, json.RootElement.GetProperty("sid").GetString()!, open);
    }

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string? sid, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(WebSocketUri(sid), CancellationToken.None).WaitAsync(Limits.Await);
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(Limits.Await);
        await _app.DisposeAsync().AsTask().WaitAsync(Limits.Await);
    }
}
