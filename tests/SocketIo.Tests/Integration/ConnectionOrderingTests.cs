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
