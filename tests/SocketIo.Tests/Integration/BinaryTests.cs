namespace SocketIo.Tests.Integration;

public sealed class BinaryTests
{
    private sealed record Upload(string Name, byte[] Content);

    [Fact]
    public async Task A_binary_event_from_the_client_reaches_a_byte_array_handler()
    {
        var received = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => s.On<byte[]>("bin", b => received.TrySetResult(b))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("451-[\"bin\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3]);

        (await received.Task.WaitAsync(TestServer.Timeout)).Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Binary_nested_in_an_object_and_several_attachments_arrive_in_order()
    {
        var received = new TaskCompletionSource<(Upload?, byte[]?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.On("upload", e => received.TrySetResult((e.Args.Get<Upload>(0), e.Args.Get<byte[]>(1))))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("452-[\"upload\",{\"name\":\"a.bin\",\"content\":{\"_placeholder\":true,\"num\":1}},{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([0xA0]);
        await client.SendBinaryAsync([0xB0, 0xB1]);

        var (upload, second) = await received.Task.WaitAsync(TestServer.Timeout);
        upload!.Name.Should().Be("a.bin");
        upload.Content.Should().Equal(0xB0, 0xB1);
        second.Should().Equal(0xA0);
    }

    [Fact]
    public async Task The_server_emits_byte_arrays_as_attachments_nested_or_not()
    {
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.Emit("files", new byte[] { 1 }, new Upload("b", [2, 3]))));
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        (await client.ReceiveTextAsync()).Should().Be("452-[\"files\",{\"_placeholder\":true,\"num\":0},{\"name\":\"b\",\"content\":{\"_placeholder\":true,\"num\":1}}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(1);
        (await client.ReceiveBinaryAsync()).Should().Equal(2, 3);
    }

    [Fact]
    public async Task A_binary_ack_answer_goes_both_ways()
    {
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.On<byte[]>("reverse", (byte[]? data, SocketIoAck ack) => ack.Send(data!.Reverse().ToArray()))));
        await using var client = await RawClient.ConnectAsync(server);
        var sid = await client.JoinAsync();

        await client.SendAsync("451-17[\"reverse\",{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([1, 2, 3]);

        (await client.ReceiveTextAsync()).Should().Be("461-17[{\"_placeholder\":true,\"num\":0}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(3, 2, 1);

        // And a binary acknowledgement from the client to the server.
        var answer = server.Socket(sid).EmitWithAckAsync<byte[]>("give");
        var request = await client.ReceiveTextAsync();
        await client.SendAsync("461-" + request[2..request.IndexOf('[')] + "[{\"_placeholder\":true,\"num\":0}]");
        await client.SendBinaryAsync([9, 8]);
        (await answer.WaitAsync(TestServer.Timeout)).Should().Equal(9, 8);
    }

    [Fact]
    public async Task Echoing_arguments_with_ToArray_keeps_their_binary()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = await RawClient.ConnectAsync(server);
        await client.JoinAsync();

        await client.SendAsync("451-5[\"echo\",{\"x\":{\"_placeholder\":true,\"num\":0}}]");
        await client.SendBinaryAsync([7]);

        (await client.ReceiveTextAsync()).Should().Be("461-5[{\"x\":{\"_placeholder\":true,\"num\":0}}]");
        (await client.ReceiveBinaryAsync()).Should().Equal(7);
    }
}
