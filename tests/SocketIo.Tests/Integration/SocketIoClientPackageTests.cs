using SocketIOClient;
using SocketIOClient.Transport;

namespace SocketIo.Tests.Integration;

/// <summary>The SocketIOClient NuGet package (3.0.6) as a second, independent client implementation.</summary>
public sealed class SocketIoClientPackageTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    private sealed record Greeting(string Name, int Times);

    /// <summary>
    /// Disconnects on dispose: the package's Dispose leaves the WebSocket open without reading it, so the server's
    /// close handshake at shutdown would wait out its 5 s timeout.
    /// </summary>
    private sealed class PackageClient(SocketIOClient.SocketIO inner) : IAsyncDisposable
    {
        public SocketIOClient.SocketIO Inner => inner;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (Exception)
            {
                // Best effort: the test's own assertions already ran.
            }
            inner.Dispose();
        }

        public static implicit operator SocketIOClient.SocketIO(PackageClient client) => client.Inner;
    }

    private static PackageClient CreateClient(TestServer server, string nsp = "", Dictionary<string, string>? auth = null, TransportProtocol transport = TransportProtocol.WebSocket) =>
        new(new SocketIOClient.SocketIO(new Uri(server.BaseUri, nsp), new SocketIOOptions
        {
            Transport = transport,
            Reconnection = false,
            ConnectionTimeout = Timeout,
            Auth = auth,
            Query = [new KeyValuePair<string, string>("client", "package")],
        }));

    [Theory]
    [InlineData(TransportProtocol.WebSocket)]
    [InlineData(TransportProtocol.Polling)]
    public async Task The_package_client_connects_and_gets_the_server_socket_id(TransportProtocol transport)
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => connected.TrySetResult(s)));
        await using var client = CreateClient(server, transport: transport);
        // The package's ConnectAsync may return before it has handled the CONNECT reply: its own event says when.
        var clientConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inner.OnConnected += (_, _) => clientConnected.TrySetResult();

        await client.Inner.ConnectAsync().WaitAsync(Timeout);
        var socket = await connected.Task.WaitAsync(Timeout);
        await clientConnected.Task.WaitAsync(Timeout);

        client.Inner.Connected.Should().BeTrue();
        client.Inner.Id.Should().Be(socket.Id);
        socket.Handshake.Query["client"].ToString().Should().Be("package");
        await client.Inner.DisconnectAsync().WaitAsync(Timeout);
        (await server.DisconnectReasonAsync(socket.Id)).Should().Be(DisconnectReason.ClientNamespaceDisconnect);
    }

    [Fact]
    public async Task The_package_client_sends_auth_to_a_custom_namespace()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.Of("/admin").OnConnection(s => connected.TrySetResult(s)));
        await using var client = CreateClient(server, "/admin", new Dictionary<string, string> { ["token"] = "secret" });

        await client.Inner.ConnectAsync().WaitAsync(Timeout);

        var socket = await connected.Task.WaitAsync(Timeout);
        socket.Namespace.Name.Should().Be("/admin");
        socket.Handshake.Auth.GetProperty("token").GetString().Should().Be("secret");
    }

    [Fact]
    public async Task Events_go_both_ways_with_the_package_client()
    {
        var received = new TaskCompletionSource<Greeting?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s.On<Greeting>("greet", g =>
        {
            received.TrySetResult(g);
            s.Emit("greeted", new Greeting(g!.Name.ToUpperInvariant(), g.Times * 2));
        })));
        await using var client = CreateClient(server);
        var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Raw JSON: the package reads case-sensitively, and the server writes camelCase.
        client.Inner.On("greeted", r => reply.TrySetResult(r.GetValue<System.Text.Json.JsonElement>(0).GetRawText()));
        await client.Inner.ConnectAsync().WaitAsync(Timeout);

        await client.Inner.EmitAsync("greet", new { name = "ada", times = 2 }).WaitAsync(Timeout);

        (await received.Task.WaitAsync(Timeout)).Should().Be(new Greeting("ada", 2));
        (await reply.Task.WaitAsync(Timeout)).Should().Be("{\"name\":\"ADA\",\"times\":4}");
    }

    [Fact]
    public async Task The_package_client_gets_the_server_acknowledgement()
    {
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.On<int>("add", (int x, SocketIoAck ack) => ack.Send(x + 1, "done"))));
        await using var client = CreateClient(server);
        await client.Inner.ConnectAsync().WaitAsync(Timeout);
        var answer = new TaskCompletionSource<(int, string)>(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.Inner.EmitAsync("add", r => answer.TrySetResult((r.GetValue<int>(0), r.GetValue<string>(1))), 41).WaitAsync(Timeout);

        (await answer.Task.WaitAsync(Timeout)).Should().Be((42, "done"));
    }

    [Fact]
    public async Task The_server_gets_the_package_client_acknowledgement()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => connected.TrySetResult(s)));
        await using var client = CreateClient(server);
        client.Inner.On("ask", r => r.CallbackAsync(r.GetValue<int>(0) * 10));
        await client.Inner.ConnectAsync().WaitAsync(Timeout);
        var socket = await connected.Task.WaitAsync(Timeout);

        (await socket.Timeout(Timeout).EmitWithAckAsync<int>("ask", 7).WaitAsync(Timeout)).Should().Be(70);
    }

    [Fact]
    public async Task Byte_arrays_go_both_ways_with_the_package_client()
    {
        var received = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s.On<byte[]>("upload", (byte[]? data, SocketIoAck ack) =>
        {
            received.TrySetResult(data);
            ack.Send(data!.Reverse().ToArray());
        })));
        await using var client = CreateClient(server);
        await client.Inner.ConnectAsync().WaitAsync(Timeout);
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);

        await client.Inner.EmitAsync("upload", r => answer.TrySetResult(r.GetValue<byte[]>(0)), new byte[] { 1, 2, 3, 4 }).WaitAsync(Timeout);

        (await received.Task.WaitAsync(Timeout)).Should().Equal(1, 2, 3, 4);
        (await answer.Task.WaitAsync(Timeout)).Should().Equal(4, 3, 2, 1);
    }

    [Fact]
    public async Task A_refused_package_client_does_not_connect()
    {
        await using var server = await TestServer.StartAsync(io => io.Use((_, _) => throw new ConnectionRefusedException("nope")));
        await using var client = CreateClient(server);
        var error = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inner.OnError += (_, e) => error.TrySetResult(e);

        _ = client.Inner.ConnectAsync();

        (await error.Task.WaitAsync(Timeout)).Should().Contain("nope");
        client.Inner.Connected.Should().BeFalse();
    }
}
