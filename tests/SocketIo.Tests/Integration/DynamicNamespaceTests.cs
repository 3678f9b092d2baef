using System.Text.RegularExpressions;

namespace SocketIo.Tests.Integration;

public sealed class DynamicNamespaceTests
{
    [Fact]
    public async Task An_emit_on_a_dynamic_parent_reaches_the_sockets_of_every_child()
    {
        SocketIoNamespace parent = null!;
        await using var server = await TestServer.StartAsync(io => parent = io.Of(new Regex("^/shop-")));
        await using var a = await RawClient.ConnectAsync(server);
        await using var b = await RawClient.ConnectAsync(server);
        await a.JoinAsync("/shop-1");
        await b.JoinAsync("/shop-2");

        parent.Emit("sale", 10);

        (await a.ReceiveTextAsync()).Should().Be("42/shop-1,[\"sale\",10]");
        (await b.ReceiveTextAsync()).Should().Be("42/shop-2,[\"sale\",10]");
    }

    [Fact]
    public async Task An_empty_child_is_removed_when_cleanup_is_on_and_created_again_on_the_next_connect()
    {
        SocketIoNamespace parent = null!;
        await using var server = await TestServer.StartAsync(io => parent = io.Of(new Regex("^/tmp-")), o => o.CleanupEmptyChildNamespaces = true);
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync("/tmp-1");
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid, "/tmp-1").Disconnected += (_, _) => disconnected.TrySetResult();

        await client.SendAsync("41/tmp-1,");
        await disconnected.Task.WaitAsync(TestServer.Timeout);

        parent.Children.Should().BeEmpty();
        server.Io.Namespaces.Select(n => n.Name).Should().NotContain("/tmp-1");
        await client.JoinAsync("/tmp-1");
        parent.Children.Select(c => c.Name).Should().Equal("/tmp-1");
    }
}
