using System.Collections.Concurrent;

namespace SocketIo.Tests.Integration;

public sealed class EventAndAckTests
{
    private static readonly TimeSpan Timeout = TestServer.Timeout;

    private sealed record Order(string ItemName, int Quantity);

    private static TaskCompletionSource<T> Signal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task A_typed_handler_reads_a_camel_case_record_and_emits_one_back_in_camel_case()
    {
        var received = Signal<Order?>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s.On<Order>("order", o =>
        {
            received.TrySetResult(o);
            s.Emit("confirmed", o! with { Quantity = o.Quantity + 1 });
        })));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"order\",{\"itemName\":\"book\",\"quantity\":2}]");

        (await received.Task.WaitAsync(Timeout)).Should().Be(new Order("book", 2));
        (await client.ReceiveTextAsync()).Should().Be("42[\"confirmed\",{\"itemName\":\"book\",\"quantity\":3}]");
    }

    [Fact]
    public async Task Several_handlers_of_one_event_run_in_registration_order()
    {
        var order = new ConcurrentQueue<string>();
        var done = Signal<bool>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s
            .On("ev", _ => order.Enqueue("first"))
            .On("ev", async _ =>
            {
                await Task.Yield();
                order.Enqueue("second");
            })
            .On("ev", _ =>
            {
                order.Enqueue("third");
                done.TrySetResult(true);
            })));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"ev\"]");

        await done.Task.WaitAsync(Timeout);
        order.Should().Equal("first", "second", "third");
    }

    [Fact]
    public async Task A_failing_handler_does_not_stop_the_next_one_or_the_connection()
    {
        var reached = Signal<bool>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s
            .On("ev", _ => throw new InvalidOperationException("application bug"))
            .On("ev", _ => reached.TrySetResult(true))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"ev\"]");

        (await reached.Task.WaitAsync(Timeout)).Should().BeTrue();
        await client.SendAsync("421[\"echo\",\"x\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"x\"]");
    }

    [Fact]
    public async Task Escaped_non_ascii_and_unregistered_event_names_arrive_as_their_text()
    {
        var names = System.Threading.Channels.Channel.CreateUnbounded<string>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s
            .OnAny((name, _) => names.Writer.TryWrite("any:" + name))
            .On("echo", e => names.Writer.TryWrite("echo:" + e.Name))
            .On("café", e => names.Writer.TryWrite("café:" + e.Name))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"\\u0065cho\"]");
        await client.SendAsync("42[\"caf\\u00e9\"]");
        await client.SendAsync("42[\"café\"]");
        await client.SendAsync("42[\"echo2\"]");
        await client.SendAsync("42[\"" + new string('e', 65) + "\"]");

        var seen = new List<string>();
        for (var i = 0; i < 8; i++) seen.Add(await names.Reader.ReadAsync().AsTask().WaitAsync(Timeout));
        seen.Should().Equal("any:echo", "echo:echo", "any:café", "café:café", "any:café", "café:café", "any:echo2", "any:" + new string('e', 65));
    }

    [Fact]
    public async Task Catch_all_listeners_run_prepended_first_before_handlers_and_can_be_removed()
    {
        var log = new ConcurrentQueue<string>();
        var handled = Channel();
        Action<string, SocketIoArguments> appended = (name, args) => log.Enqueue("any:" + name + ":" + args.Count);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.OnAny(appended);
            s.PrependAny((name, _) => log.Enqueue("prepended:" + name));
            s.On("ev", e =>
            {
                log.Enqueue("handler");
                handled.Writer.TryWrite(e.Args.Get<int>(0));
            });
            s.On("remove", _ => s.OffAny(appended));
        }));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"ev\",1,2]");
        (await handled.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(1);
        log.Should().Equal("prepended:ev", "any:ev:2", "handler");

        await client.SendAsync("42[\"remove\"]");
        await client.SendAsync("42[\"ev\",7]");
        (await handled.Reader.ReadAsync().AsTask().WaitAsync(Timeout)).Should().Be(7);
        log.Skip(3).Should().Equal("prepended:remove", "any:remove:0", "prepended:ev", "handler");
    }

    private static System.Threading.Channels.Channel<int> Channel() => System.Threading.Channels.Channel.CreateUnbounded<int>();

    [Fact]
    public async Task An_outgoing_catch_all_listener_sees_what_the_socket_emits()
    {
        var seen = Signal<(string, object?[])>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.OnAnyOutgoing((name, args) => seen.TrySetResult((name, args)));
            s.Emit("hello", "world", 3);
        }));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        (await client.ReceiveTextAsync()).Should().Be("42[\"hello\",\"world\",3]");
        var (name, args) = await seen.Task.WaitAsync(Timeout);
        name.Should().Be("hello");
        args.Should().Equal("world", 3);
    }

    [Fact]
    public async Task A_socket_middleware_refusing_an_event_raises_error_and_skips_the_handler()
    {
        var errors = Signal<Exception>();
        var handled = new ConcurrentQueue<string>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
        {
            s.Use((e, _) => e.Name == "forbidden" ? throw new UnauthorizedAccessException("not for you") : ValueTask.CompletedTask);
            s.Error += (_, ex) => errors.TrySetResult(ex);
            s.On("forbidden", e => handled.Enqueue(e.Name));
        }));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"forbidden\"]");

        (await errors.Task.WaitAsync(Timeout)).Should().BeOfType<UnauthorizedAccessException>().Which.Message.Should().Be("not for you");
        await client.SendAsync("421[\"echo\",\"after\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"after\"]");
        handled.Should().BeEmpty();
    }

    [Fact]
    public async Task A_handler_answers_the_client_ack_once_and_a_second_answer_is_ignored()
    {
        var secondResult = Signal<bool>();
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.On<Order>("buy", (Order? o, SocketIoAck ack) =>
            {
                ack.Send("ok", o!.Quantity);
                secondResult.TrySetResult(ack.Send("again"));
            })));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("4213[\"buy\",{\"itemName\":\"pen\",\"quantity\":5}]");

        (await client.ReceiveTextAsync()).Should().Be("4313[\"ok\",5]");
        (await secondResult.Task.WaitAsync(Timeout)).Should().BeFalse();
        await client.SendAsync("421[\"echo\",\"next\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"next\"]", "the second answer never reached the wire");
    }

    [Fact]
    public async Task Answering_an_event_sent_without_ack_sends_nothing()
    {
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.On<string>("fire", (string? _, SocketIoAck ack) => ack.Send("ignored"))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("42[\"fire\",\"x\"]");
        await client.SendAsync("421[\"echo\",\"next\"]");

        (await client.ReceiveTextAsync()).Should().Be("431[\"next\"]");
    }

    [Fact]
    public async Task EmitWithAckAsync_returns_the_client_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        var answer = server.Socket(sid).EmitWithAckAsync<string>("question", 41);
        var request = await client.ReceiveTextAsync();
        request.Should().MatchRegex("^42\\d+\\[\"question\",41\\]$");
        var id = request[2..request.IndexOf('[')];
        await client.SendAsync("43" + id + "[\"forty-two\"]");

        (await answer.WaitAsync(Timeout)).Should().Be("forty-two");
    }

    [Fact]
    public async Task EmitWithAckAsync_with_a_timeout_throws_when_the_client_does_not_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        var answer = server.Socket(sid).Timeout(TimeSpan.FromMilliseconds(200)).EmitWithAckAsync<string>("question");
        (await client.ReceiveTextAsync()).Should().MatchRegex("^42\\d+\\[\"question\"\\]$");

        await answer.Invoking(a => a.WaitAsync(Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
    }

    [Fact]
    public async Task EmitWithAckAsync_fails_when_the_socket_disconnects_before_answering()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        var answer = server.Socket(sid).EmitWithAckAsync<string>("question");
        await client.ReceiveTextAsync();
        await client.SendAsync("41");

        await answer.Invoking(a => a.WaitAsync(Timeout)).Should().ThrowAsync<IOException>();
    }

    [Fact]
    public async Task A_late_ack_after_the_timeout_is_ignored_and_the_connection_stays()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        var answer = server.Socket(sid).Timeout(TimeSpan.FromMilliseconds(100)).EmitWithAckAsync<string>("question");
        var request = await client.ReceiveTextAsync();
        await answer.Invoking(a => a.WaitAsync(Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        await client.SendAsync("43" + request[2..request.IndexOf('[')] + "[\"late\"]");

        await client.SendAsync("421[\"echo\",\"still\"]");
        (await client.ReceiveTextAsync()).Should().Be("431[\"still\"]");
    }

    [Fact]
    public async Task A_broadcast_with_ack_collects_every_answer()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAsync(server);
        await using var b = await RawClient.ConnectAsync(server);
        await a.JoinAsync();
        await b.JoinAsync();

        var answers = server.Io.Timeout(TimeSpan.FromSeconds(3)).EmitWithAckAsync<int>("count");
        await a.AnswerAsync("count", "1");
        await b.AnswerAsync("count", "2");

        (await answers.WaitAsync(Timeout)).Should().BeEquivalentTo([1, 2]);
    }

    [Fact]
    public async Task A_broadcast_with_ack_that_times_out_carries_the_answers_received_in_time()
    {
        await using var server = await TestServer.StartAsync();
        await using var a = await RawClient.ConnectAsync(server);
        await using var silent = await RawClient.ConnectAsync(server);
        await a.JoinAsync();
        await silent.JoinAsync();

        var answers = server.Io.Timeout(TimeSpan.FromMilliseconds(300)).EmitWithAckAsync<int>("count");
        await a.AnswerAsync("count", "1");
        (await silent.ReceiveTextAsync()).Should().StartWith("42");

        var error = await answers.Invoking(t => t.WaitAsync(Timeout)).Should().ThrowAsync<SocketIoAckTimeoutException>();
        error.Which.Responses.Should().ContainSingle().Which.Get<int>(0).Should().Be(1);
    }

    [Fact]
    public async Task A_broadcast_with_ack_to_nobody_completes_with_no_answers()
    {
        await using var server = await TestServer.StartAsync();

        var answers = await server.Io.To("empty-room").Timeout(TimeSpan.FromSeconds(1)).EmitWithAckAsync<int>("count").WaitAsync(Timeout);

        answers.Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_reserved_name_leaves_no_pending_acknowledgement_behind()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var socket = server.Socket(await client.JoinAsync());

        var refused = () => { _ = socket.Timeout(TimeSpan.FromMilliseconds(50)).EmitWithAckAsync("disconnect", []); };
        refused.Should().Throw<ArgumentException>();
        var answer = socket.EmitWithAckAsync<int>("q");

        // Nothing was registered for the refused emit: the first acknowledgement id is still free.
        (await client.ReceiveTextAsync()).Should().Be("420[\"q\"]");
        await client.SendAsync("430[5]");
        (await answer.WaitAsync(TestServer.Timeout)).Should().Be(5);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public async Task Emitting_a_reserved_event_name_throws(string name)
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        var socket = server.Socket(await client.JoinAsync());

        socket.Invoking(s => s.Emit(name)).Should().Throw<ArgumentException>();
        server.Io.Invoking(io => io.Emit(name)).Should().Throw<ArgumentException>();
        socket.Invoking(s => s.Broadcast.Emit(name)).Should().Throw<ArgumentException>();
        await socket.Invoking(s => s.EmitWithAckAsync<int>(name)).Should().ThrowAsync<ArgumentException>();
    }
}
