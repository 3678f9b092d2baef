using System.Text.Json;
using MarketplaceEvents.Tests.Postgres;
using Npgsql;
using SocketIo.Tests.Integration;

namespace SocketIo.Postgres.Tests;

/// <summary>
/// Two in-process nodes with the PostgreSQL adapter on the private PostgreSQL of the test run: each test has a schema
/// of its own, where the nodes create the attachments table, and a channel prefix of its own (notifications are
/// database-wide).
/// </summary>
public sealed class PostgresAdapterTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..12];
    private PostgresServer? _postgres;
    // The private PostgreSQL with this test's schema as its search path: the attachments table goes there.
    private string _connection = null!;
    private TestServer _a = null!;
    private TestServer _b = null!;
    private RawClient _clientA = null!;
    private RawClient _clientB = null!;
    private string _idA = null!;
    private string _idB = null!;

    public async Task InitializeAsync()
    {
        if (PostgresServer.SkipReason is not null) return;
        _postgres = await PostgresServer.GetAsync();
        _connection = await _postgres.CreateSchemaAsync();
        _a = await StartNodeAsync();
        _b = await StartNodeAsync();
        await WaitUntilAsync(async () => await _a.Io.ServerCountAsync() == 2 && await _b.Io.ServerCountAsync() == 2);
        _clientA = await RawClient.ConnectAsync(_a);
        _idA = await _clientA.JoinAsync();
        _clientB = await RawClient.ConnectAsync(_b);
        _idB = await _clientB.JoinAsync();
    }

    public async Task DisposeAsync()
    {
        if (_postgres is null) return;
        if (_clientA is not null) await _clientA.DisposeAsync();
        if (_clientB is not null) await _clientB.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
    }

    private async Task<TestServer> StartNodeAsync(Action<PostgresAdapterOptions>? configure = null)
    {
        var server = await TestServer.StartAsync(options: o => o.UsePostgresAdapter(_connection, p =>
        {
            p.ChannelPrefix = _prefix;
            p.RequestsTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(p);
        }));
        await ((PostgresAdapter)server.Io.MainNamespace.Adapter).Subscribed.WaitAsync(Timeout);
        return server;
    }

    [PostgresFact]
    public async Task A_broadcast_reaches_the_clients_of_both_nodes_and_local_stays_local()
    {
        _a.Io.Emit("hello", 1, "two");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"hello\",1,\"two\"]");
        (await _clientB.ReceiveTextAsync()).Should().Be("42[\"hello\",1,\"two\"]");

        _a.Io.Local.Emit("local");
        _b.Io.To(_idA).Emit("marker");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"local\"]");
        (await _clientA.ReceiveTextAsync()).Should().Be("42[\"marker\"]");
        (await AttachmentCountAsync()).Should().Be(0, "small messages without binary are notifications only");
    }

    [PostgresFact]
    public async Task Binary_and_large_messages_go_through_the_attachments_table()
    {
        _a.Io.To(_idB).Emit("bin", new byte[] { 1, 2, 3 });
        (await _clientB.ReceiveTextAsync()).Should().Be("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        (await _clientB.ReceiveBinaryAsync()).Should().Equal(1, 2, 3);

        var large = new string('x', 10_000);
        _b.Io.To(_idA).Emit("large", large);
        var received = await _clientA.ReceiveTextAsync();
        (received == "42[\"large\",\"" + large + "\"]").Should().BeTrue("the 10,000 characters arrive whole");

        (await AttachmentCountAsync()).Should().Be(2);
    }

    [PostgresFact]
    public async Task Acks_fetchSockets_and_server_side_emits_are_answered_by_the_other_node()
    {
        var pending = _a.Io.Timeout(Timeout).EmitWithAckAsync<int>("question");
        await _clientA.AnswerAsync("question", "1");
        await _clientB.AnswerAsync("question", "2");
        (await pending.WaitAsync(Timeout)).Should().BeEquivalentTo([1, 2]);

        _b.Socket(_idB).Data = new { name = "bob" };
        var sockets = await _a.Io.FetchSocketsAsync().AsTask().WaitAsync(Timeout);
        sockets.Select(s => s.Id).Should().BeEquivalentTo([_idA, _idB]);
        ((JsonElement)sockets.Single(s => s.Id == _idB).Data!).GetProperty("name").GetString().Should().Be("bob");

        _b.Io.OnServerSideEvent("ask", args => Task.FromResult<object?>(args.Get<int>() * 2));
        var answers = await _a.Io.ServerSideEmitWithAckAsync("ask", [21]).WaitAsync(Timeout);
        answers.Select(a => a.Get<int>()).Should().Equal(42);
    }

    [PostgresFact]
    public async Task A_node_that_closes_leaves_the_count_at_once()
    {
        await _clientB.DisposeAsync();
        _clientB = null!;
        await _b.DisposeAsync();
        _b = null!;

        await WaitUntilAsync(async () => await _a.Io.ServerCountAsync() == 1);
        // Requests no longer wait for it.
        var answers = await _a.Io.ServerSideEmitWithAckAsync("ask", [1]).WaitAsync(Timeout);
        answers.Should().BeEmpty();
    }

    [PostgresFact]
    public async Task A_node_whose_listening_connection_is_cut_listens_again()
    {
        // The server ends B's LISTEN connection, as a restart or a failover would.
        await using (var connection = new NpgsqlConnection(_connection))
        {
            await connection.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE 'LISTEN \"" + _prefix + "#%' AND pid <> pg_backend_pid()", connection);
            ((long)(await kill.ExecuteScalarAsync())!).Should().Be(2, "each node listens on a connection of its own");
        }

        // Notifications sent while B is not listening are lost (as with the npm package): A sends until one arrives.
        var arrived = _clientB.ReceiveTextAsync();
        await WaitUntilAsync(async () =>
        {
            _a.Io.To(_idB).Emit("back");
            return await Task.WhenAny(arrived, Task.Delay(200)) == arrived;
        });
        (await arrived).Should().Be("42[\"back\"]");
    }

    [PostgresFact]
    public async Task Old_rows_of_the_attachments_table_are_deleted()
    {
        await using var node = await StartNodeAsync(p => p.CleanupInterval = TimeSpan.FromMilliseconds(300));
        node.Io.Emit("bin", new byte[] { 9 });
        await WaitUntilAsync(async () => await AttachmentCountAsync() >= 1);

        await WaitUntilAsync(async () => await AttachmentCountAsync() == 0);
    }

    private async Task<long> AttachmentCountAsync()
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM socket_io_attachments", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold in time");
            await Task.Delay(20);
        }
    }
}
