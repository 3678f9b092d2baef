namespace SocketIo.Tests.Integration;

/// <summary>
/// An escaped UTF-16 surrogate without its pair (<c>"\ud800"</c>) in an event name: an ordinary name, as for the
/// reference server (a JavaScript string may hold one), dispatched like any other and never a thrown exception.
/// </summary>
public sealed class LoneSurrogateTests
{
    [Fact]
    public async Task An_event_name_with_a_lone_surrogate_is_dispatched_as_an_ordinary_name()
    {
        var names = new List<string>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(socket =>
        {
            socket.OnAny((name, _) =>
            {
                lock (names) names.Add(name);
            });
            socket.On("a\ud800b", e => e.Ack?.Send("handled"));
        }));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        // Short (looked up among the handlers), long (read whole), and alone.
        await client.SendAsync("421[\"a\\ud800b\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"handled\"]");
        var longName = "\\udc00" + new string('x', 100);
        await client.SendAsync($"42[\"{longName}\"]");
        await client.SendAsync("42[\"\\ud800\"]");
        await client.SendAsync("422[\"echo\",\"after\"]");
        (await client.ReceiveTextAsync()).Should().Be("432[\"after\"]");

        lock (names)
        {
            names.Should().Equal("a\ud800b", "\udc00" + new string('x', 100), "\ud800", "echo");
        }
    }
}
