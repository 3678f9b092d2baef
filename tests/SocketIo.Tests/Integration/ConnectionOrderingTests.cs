namespace SocketIo.Tests.Integration;

public sealed class ConnectionOrderingTests
{
    [Fact]
    public async Task An_event_sent_right_after_connect_reaches_a_handler_registered_by_the_connection_handler_after_an_async_middleware()
    {
        await using var server = await TestServer.StartAsync(io => io.Of("/slow")
            .Use(async (_, _) => await Task.Yield())
            .OnConnection(s =>
            {
                // Synchronous work before the handlers are registered: in the reference, events wait for the
                // "connection" listeners to have run.
                Thread.Sleep(100);
                s.On("ev", e => e.Ack?.Send("handled"));
            }));
        await using var client = await RawClient.ConnectAsync(server);

        await client.JoinAsync("/slow");
        await client.SendAsync("42/slow,1[\"ev\"]");

        (await client.ReceiveTextAsync()).Should().Be("43/slow,1[\"handled\"]");
    }

    [Fact]
    public async Task Every_connection_handler_has_started_before_the_first_event_is_handled()
    {
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.Of("/two")
            .OnConnection(async s =>
            {
                await secondStarted.Task.WaitAsync(TestServer.Timeout);
            })
            .OnConnection(s =>
            {
                s.On("ev", e => e.Ack?.Send("second handler's"));
                secondStarted.TrySetResult();
            }));
        await using var client = await RawClient.ConnectAsync(server);

        await client.JoinAsync("/two");
        await client.SendAsync("42/two,1[\"ev\"]");

        (await client.ReceiveTextAsync()).Should().Be("43/two,1[\"second handler's\"]");
    }
}

public sealed class ReconnectionTests
{
    [Fact]
    public async Task A_client_can_rejoin_a_namespace_while_a_connection_handler_of_its_previous_socket_still_runs()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.Of("/long").OnConnection(async _ => await release.Task));
        await using var client = await RawClient.ConnectAsync(server);
        try
        {
            var first = await client.JoinAsync("/long");
            await client.SendAsync("41/long,");
            var second = await client.JoinAsync("/long");

            second.Should().NotBe(first);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Theory]
    [InlineData("40[]")]
    [InlineData("40\"token\"")]
    public async Task A_connect_payload_that_is_not_an_object_closes_the_connection(string packet)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync(packet);

        await client.WaitClosedAsync();
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task A_binary_event_whose_name_is_an_attachment_closes_the_connection()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("451-[{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1]);

        await client.WaitClosedAsync();
        await server.AssertAliveAsync();
    }
}
