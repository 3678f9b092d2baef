using System.Text.Json;
using System.Text.RegularExpressions;
using SocketIo.Adapters;

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

    [Fact]
    public async Task An_emptied_child_has_its_adapter_closed_and_a_child_with_sockets_is_kept()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        SocketIoNamespace parent = null!;
        await using var server = await TestServer.StartAsync(io => parent = io.Of(new Regex("^/tmp-")), o =>
        {
            o.CleanupEmptyChildNamespaces = true;
            o.AdapterFactory = nsp => new ClosingAdapter(nsp, closed);
        });
        await using var leaving = await RawClient.ConnectAsync(server);
        await using var staying = await RawClient.ConnectAsync(server);
        await leaving.JoinAsync("/tmp-1");
        await staying.JoinAsync("/tmp-2");
        var sid = await leaving.JoinAsync("/tmp-2");
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid, "/tmp-2").Disconnected += (_, _) => left.TrySetResult();

        // One of /tmp-2's two sockets leaves: it stays. /tmp-1's only socket leaves: it goes, and its adapter closes.
        await leaving.SendAsync("41/tmp-2,");
        await left.Task.WaitAsync(TestServer.Timeout);
        await leaving.SendAsync("41/tmp-1,");

        (await closed.Task.WaitAsync(TestServer.Timeout)).Should().Be("/tmp-1");
        parent.Children.Select(c => c.Name).Should().Equal("/tmp-2");
        server.Io.Namespaces.Select(n => n.Name).Should().Contain("/tmp-2").And.NotContain("/tmp-1");
    }

    [Fact]
    public async Task Without_cleanup_an_emptied_child_stays_with_its_adapter_open()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        SocketIoNamespace parent = null!;
        await using var server = await TestServer.StartAsync(io => parent = io.Of(new Regex("^/tmp-")), o => o.AdapterFactory = nsp => new ClosingAdapter(nsp, closed));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync("/tmp-1");
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Socket(sid, "/tmp-1").Disconnected += (_, _) => disconnected.TrySetResult();

        await client.SendAsync("41/tmp-1,");
        await disconnected.Task.WaitAsync(TestServer.Timeout);

        parent.Children.Select(c => c.Name).Should().Equal("/tmp-1");
        closed.Task.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Adding_a_child_does_not_copy_the_children_already_there()
    {
        await using var server = await TestServer.StartAsync(io => io.Of(new Regex("^/many-")));
        var io = server.Io;
        var empty = JsonDocument.Parse("{}").RootElement;

        long AllocatedFor(int from, int count)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = from; i < from + count; i++) io.ResolveNamespace("/many-" + i, empty).Should().NotBeNull();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        AllocatedFor(0, 1_000);
        var early = AllocatedFor(1_000, 1_000);
        AllocatedFor(2_000, 18_000);
        var late = AllocatedFor(20_000, 1_000);

        // Copying an array of 20,000 references for each child would allocate 160 KB per child, 160 MB per thousand;
        // what a child itself costs does not depend on how many came before it.
        late.Should().BeLessThan(early * 3, $"the first thousand children took {early} bytes");
        io.Namespaces.Count.Should().BeGreaterThan(21_000);
    }

    private sealed class ClosingAdapter(SocketIoNamespace nsp, TaskCompletionSource<string> closed) : InMemoryAdapter(nsp)
    {
        public override ValueTask CloseAsync()
        {
            closed.TrySetResult(Namespace.Name);
            return base.CloseAsync();
        }
    }
}
