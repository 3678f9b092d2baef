using System.IO.Compression;
using System.Net;
using System.Text;

namespace SocketIo.Tests.Integration;

/// <summary>
/// The per-emit compression flag (<c>Compress(false)</c>) on a socket and on broadcasts, as it reaches the wire: a
/// long-polling client that accepts gzip sees which answers are compressed.
/// </summary>
public sealed class CompressionTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    // Well over the 1024-byte threshold of HTTP compression.
    private static readonly string Big = new('x', 4000);

    // Shared by the tests, and never decompressing: they must see the Content-Encoding.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = Timeout };

    /// <summary>A raw v4 polling client joined to the main namespace, reading its answers without decompressing them.</summary>
    private sealed class PollingSocket(Uri path)
    {
        public static async Task<PollingSocket> JoinAsync(TestServer server)
        {
            var open = await Http.GetStringAsync(new Uri(server.BaseUri, "/socket.io/?EIO=4&transport=polling")).WaitAsync(Timeout);
            var sid = System.Text.Json.JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString();
            var client = new PollingSocket(new Uri(server.BaseUri, $"/socket.io/?EIO=4&transport=polling&sid={sid}"));
            using (var post = await Http.PostAsync(client._path, new StringContent("40")).WaitAsync(Timeout)) post.StatusCode.Should().Be(HttpStatusCode.OK);
            (await client.GetAsync()).Text.Should().StartWith("40{\"sid\":");
            return client;
        }

        private readonly Uri _path = path;

        /// <summary>One poll, accepting gzip: whether the answer was compressed, and its text.</summary>
        public async Task<(bool Compressed, string Text)> GetAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _path);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            using var response = await Http.SendAsync(request).WaitAsync(Timeout);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            var body = await response.Content.ReadAsStreamAsync().WaitAsync(Timeout);
            var compressed = response.Content.Headers.ContentEncoding.Contains("gzip");
            using var reader = new StreamReader(compressed ? new GZipStream(body, CompressionMode.Decompress) : body, Encoding.UTF8);
            return (compressed, await reader.ReadToEndAsync().WaitAsync(Timeout));
        }
    }

    private static async Task<(TestServer Server, SocketIoSocket Socket, PollingSocket Client)> StartAsync()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A long heartbeat: no ping may slip into the polls these tests read.
        var server = await TestServer.StartAsync(io => io.OnConnection(s => connected.TrySetResult(s)), o => o.PingInterval = TimeSpan.FromSeconds(30));
        var client = await PollingSocket.JoinAsync(server);
        return (server, await connected.Task.WaitAsync(Timeout), client);
    }

    [Fact]
    public async Task A_socket_emit_is_compressed_unless_compress_false_is_asked()
    {
        var (server, socket, client) = await StartAsync();
        await using var _ = server;

        socket.Compress(false).Emit("big", Big);
        (await client.GetAsync()).Should().Be((false, $"42[\"big\",\"{Big}\"]"));

        socket.Emit("big", Big);
        (await client.GetAsync()).Should().Be((true, $"42[\"big\",\"{Big}\"]"));

        socket.Compress(false).Compress(true).Emit("big", Big);
        (await client.GetAsync()).Compressed.Should().BeTrue("the last Compress wins");
    }

    [Fact]
    public async Task A_broadcast_is_compressed_unless_compress_false_is_asked()
    {
        var (server, socket, client) = await StartAsync();
        await using var _ = server;
        socket.Join("room");

        server.Io.Compress(false).Emit("big", Big);
        (await client.GetAsync()).Should().Be((false, $"42[\"big\",\"{Big}\"]"));

        server.Io.To("room").Compress(false).Emit("big", Big);
        (await client.GetAsync()).Compressed.Should().BeFalse();

        server.Io.To("room").Emit("big", Big);
        (await client.GetAsync()).Should().Be((true, $"42[\"big\",\"{Big}\"]"));
    }

    [Fact]
    public async Task A_small_emit_is_not_compressed()
    {
        var (server, socket, client) = await StartAsync();
        await using var _ = server;

        socket.Emit("small", "x");

        (await client.GetAsync()).Should().Be((false, "42[\"small\",\"x\"]"));
    }
}
