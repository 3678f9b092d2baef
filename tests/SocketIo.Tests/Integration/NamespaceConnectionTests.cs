using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SocketIo.Tests.Integration;

public sealed class NamespaceConnectionTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    [Fact]
    public async Task A_client_joining_the_main_namespace_gets_its_socket_id()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40");
        var reply = await client.ReceiveTextAsync();

        reply.Should().MatchRegex("^40\\{\"sid\":\"[^\"]+\"\\}$");
        var sid = JsonDocument.Parse(reply[2..]).RootElement.GetProperty("sid").GetString()!;
        server.Socket(sid).Connected.Should().BeTrue();
        client.OpenPacket.Should().NotContain(sid, "the socket id differs from the engine session id");
    }

    [Fact]
    public async Task A_custom_namespace_sees_the_auth_payload_query_and_headers()
    {
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.Of("/admin").OnConnection(s => connected.TrySetResult(s)));
        await using var client = await RawClient.ConnectAsync(server, "&room=blue", o => o.SetRequestHeader("X-Test", "yes"));

        var sid = await client.JoinAsync("/admin", "{\"token\":\"abc\"}");
        var socket = await connected.Task.WaitAsync(Timeout);

        socket.Id.Should().Be(sid);
        socket.Namespace.Name.Should().Be("/admin");
        socket.Handshake.Auth.GetProperty("token").GetString().Should().Be("abc");
        socket.Handshake.Query["room"].ToString().Should().Be("blue");
        socket.Handshake.Headers["X-Test"].ToString().Should().Be("yes");
    }

    [Fact]
    public async Task Without_an_auth_payload_the_handshake_auth_is_an_empty_object()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        var auth = server.Socket(sid).Handshake.Auth;
        auth.ValueKind.Should().Be(JsonValueKind.Object);
        auth.EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public async Task A_regex_dynamic_namespace_creates_a_child_that_runs_the_parent_middleware_and_handler()
    {
        var middlewareRan = new ConcurrentQueue<string>();
        var connected = new TaskCompletionSource<SocketIoSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        SocketIoNamespace parent = null!;
        await using var server = await TestServer.StartAsync(io =>
        {
            parent = io.Of(new Regex("^/dyn-\\d+$"));
            parent.Use((s, _) =>
            {
                middlewareRan.Enqueue(s.Namespace.Name);
                return ValueTask.CompletedTask;
            });
            parent.OnConnection(s => connected.TrySetResult(s));
        });
        await using var client = await RawClient.ConnectAsync(server);

        var sid = await client.JoinAsync("/dyn-42");
        var socket = await connected.Task.WaitAsync(Timeout);

        socket.Id.Should().Be(sid);
        socket.Namespace.Name.Should().Be("/dyn-42");
        socket.Namespace.Parent.Should().BeSameAs(parent);
        parent.Children.Select(c => c.Name).Should().Equal("/dyn-42");
        server.Io.Namespaces.Select(n => n.Name).Should().Contain("/dyn-42");
        middlewareRan.Should().Equal("/dyn-42");
    }

    [Fact]
    public async Task A_predicate_dynamic_namespace_can_decide_on_the_auth_payload()
    {
        await using var server = await TestServer.StartAsync(io =>
            io.Of((name, auth) => name.StartsWith("/team-", StringComparison.Ordinal)
                && auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty("member", out var m) && m.GetBoolean()));
        await using var client = await RawClient.ConnectAsync(server);

        await client.JoinAsync("/team-a", "{\"member\":true}");
        await client.SendAsync("40/team-b,{\"member\":false}");

        (await client.ReceiveTextAsync()).Should().Be("44/team-b,{\"message\":\"Invalid namespace\"}");
        server.Io.Namespaces.Select(n => n.Name).Should().Contain("/team-a").And.NotContain("/team-b");
    }

    [Fact]
    public async Task An_unknown_namespace_is_refused_with_invalid_namespace_and_the_connection_stays_usable()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40/random");
        (await client.ReceiveTextAsync()).Should().Be("44/random,{\"message\":\"Invalid namespace\"}");

        await client.JoinAsync();
    }

    [Fact]
    public async Task A_middleware_refusal_sends_its_message_and_data()
    {
        await using var server = await TestServer.StartAsync(io =>
            io.Use((_, _) => throw new ConnectionRefusedException("not authorized", new { code = 42, retry = false })));
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40");

        (await client.ReceiveTextAsync()).Should().Be("44{\"message\":\"not authorized\",\"data\":{\"code\":42,\"retry\":false}}");
        server.Io.MainNamespace.Sockets.Should().BeEmpty();
    }

    [Fact]
    public async Task A_middleware_refusal_without_data_sends_only_the_message()
    {
        await using var server = await TestServer.StartAsync(io =>
            io.Of("/private").Use((_, _) => throw new ConnectionRefusedException("go away")));
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40/private,");

        (await client.ReceiveTextAsync()).Should().Be("44/private,{\"message\":\"go away\"}");
    }

    [Fact]
    public async Task A_middleware_failing_otherwise_refuses_with_internal_server_error_and_hides_the_exception()
    {
        await using var server = await TestServer.StartAsync(io =>
            io.Of("/broken").Use(async (_, ct) =>
            {
                await Task.Yield();
                throw new InvalidOperationException("secret detail");
            }));
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40/broken,");

        (await client.ReceiveTextAsync()).Should().Be("44/broken,{\"message\":\"Internal server error\"}");
        await server.AssertAliveAsync();
    }

    [Fact]
    public async Task Middlewares_run_in_order_and_a_later_one_is_skipped_after_a_refusal()
    {
        var ran = new ConcurrentQueue<int>();
        await using var server = await TestServer.StartAsync(io =>
            io.Of("/m")
                .Use((_, _) => { ran.Enqueue(1); return ValueTask.CompletedTask; })
                .Use((_, _) => { ran.Enqueue(2); throw new ConnectionRefusedException("no"); })
                .Use((_, _) => { ran.Enqueue(3); return ValueTask.CompletedTask; }));
        await using var client = await RawClient.ConnectAsync(server);

        await client.SendAsync("40/m,");

        (await client.ReceiveTextAsync()).Should().Be("44/m,{\"message\":\"no\"}");
        ran.Should().Equal(1, 2);
    }

    [Fact]
    public async Task One_connection_can_join_several_namespaces_with_one_socket_each()
    {
        await using var server = await TestServer.StartAsync(io => io.Of("/chat"));
        await using var client = await RawClient.ConnectAsync(server);

        var main = await client.JoinAsync();
        var chat = await client.JoinAsync("/chat");

        main.Should().NotBe(chat);
        server.Socket(chat, "/chat").Namespace.Name.Should().Be("/chat");
        server.Socket(main).Connected.Should().BeTrue();
    }

    [Fact]
    public async Task A_connection_that_joins_no_namespace_in_time_is_closed()
    {
        await using var server = await TestServer.StartAsync(options: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        await using var idle = await RawClient.ConnectAsync(server);
        await using var joined = await RawClient.ConnectAsync(server);
        await joined.JoinAsync();

        await idle.WaitClosedAsync();

        joined.Closed.IsCompleted.Should().BeFalse();
        await joined.SendAsync("421[\"echo\",1]");
        (await joined.ReceiveTextAsync()).Should().Be("431[1]");
    }
}
