using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using EngineIo.Internal.Direct;
using EngineIo.Tests.Infrastructure;
using FluentAssertions;

namespace EngineIo.Tests.Internal.Direct;

/// <summary>
/// The WebSocket that sessions on their own connection read and write on the transport pipes: frames written by hand
/// (masked, split anywhere, fragmented, malformed), and a round trip with .NET's own client WebSocket.
/// </summary>
public sealed class PipeWebSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] Mask = [0x37, 0xFA, 0x21, 0x3D];

    /// <summary>A client frame: masked with <see cref="Mask"/>, the length in the shortest form unless told.</summary>
    private static byte[] ClientFrame(int opcode, byte[] payload, bool final = true, bool masked = true, byte rsv = 0)
    {
        var header = new List<byte> { (byte)((final ? 0x80 : 0) | rsv | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length < 126) header.Add((byte)(maskBit | payload.Length));
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add((byte)(maskBit | 126));
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add((byte)(maskBit | 127));
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }
        if (!masked) return [.. header, .. payload];
        header.AddRange(Mask);
        return [.. header, .. payload.Select((b, i) => (byte)(b ^ Mask[i % 4]))];
    }

    private static async Task WriteAsync(InMemoryConnection connection, params byte[][] chunks)
    {
        foreach (var chunk in chunks)
        {
            await connection.Incoming.Writer.WriteAsync(chunk).AsTask().WaitAsync(Timeout);
        }
    }

    /// <summary>Receives one whole message the way the transport does: a zero-byte wait, then reads until its end.</summary>
    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(PipeWebSocket socket, int chunk = 4096)
    {
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask().WaitAsync(Timeout);
        if (first.MessageType == WebSocketMessageType.Close) return (first.MessageType, []);
        var payload = new List<byte>();
        var result = first;
        var buffer = new byte[chunk];
        while (!result.EndOfMessage)
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask().WaitAsync(Timeout);
            payload.AddRange(buffer.AsSpan(0, result.Count).ToArray());
        }
        return (result.MessageType, payload.ToArray());
    }

    /// <summary>Everything the socket has written so far.</summary>
    private static async Task<byte[]> WrittenAsync(InMemoryConnection connection, int atLeast)
    {
        var reader = connection.Outgoing.Reader;
        while (true)
        {
            var result = await reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (result.Buffer.Length >= atLeast || result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public async Task A_masked_message_of_any_length_arrives_whole_and_unmasked(int length)
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        var payload = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        var write = WriteAsync(connection, ClientFrame(0x2, payload));

        var (type, received) = await ReceiveMessageAsync(socket, chunk: 1000);
        await write;

        type.Should().Be(WebSocketMessageType.Binary);
        received.Should().Equal(payload);
    }

    [Fact]
    public async Task Frames_split_at_every_byte_still_arrive_whole()
    {
        var text = "héllo wörld, ✓ 𝄞 " + new string('x', 200);
        var message = Encoding.UTF8.GetBytes(text);
        // Two fragments, so that the split also crosses a frame boundary, with a UTF-8 sequence cut between them.
        var cut = text.IndexOf("𝄞", StringComparison.Ordinal);
        var cutBytes = Encoding.UTF8.GetByteCount(text[..cut]) + 2;
        var wire = ClientFrame(0x1, message[..cutBytes], final: false).Concat(ClientFrame(0x0, message[cutBytes..])).ToArray();
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);

        var receive = ReceiveMessageAsync(socket, chunk: 7);
        foreach (var b in wire)
        {
            await WriteAsync(connection, [b]);
        }
        var (type, received) = await receive;

        type.Should().Be(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(received).Should().Be(text);
    }

    [Fact]
    public async Task A_ping_between_fragments_is_answered_with_a_pong_carrying_its_payload()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        await WriteAsync(connection,
            ClientFrame(0x1, "ab"u8.ToArray(), final: false),
            ClientFrame(0x9, "ping!"u8.ToArray()),
            ClientFrame(0xA, "unsolicited pong"u8.ToArray()),
            ClientFrame(0x0, "cd"u8.ToArray()));

        var (_, received) = await ReceiveMessageAsync(socket);

        Encoding.UTF8.GetString(received).Should().Be("abcd");
        (await WrittenAsync(connection, 7)).Should().Equal([0x8A, 5, .. "ping!"u8.ToArray()]);
    }

    public static TheoryData<string, byte[], int> Violations => new()
    {
        { "an unmasked frame", ClientFrame(0x1, "x"u8.ToArray(), masked: false), 1002 },
        { "a reserved bit (no extension negotiated)", ClientFrame(0x1, "x"u8.ToArray(), rsv: 0x40), 1002 },
        { "an unknown opcode", ClientFrame(0x3, "x"u8.ToArray()), 1002 },
        { "a fragmented ping", ClientFrame(0x9, "x"u8.ToArray(), final: false), 1002 },
        { "a control frame over 125 bytes", ClientFrame(0x9, new byte[126]), 1002 },
        { "a continuation with no message", ClientFrame(0x0, "x"u8.ToArray()), 1002 },
        { "a new message inside a fragmented one", [.. ClientFrame(0x1, "x"u8.ToArray(), final: false), .. ClientFrame(0x1, "y"u8.ToArray())], 1002 },
        { "invalid UTF-8 in a text message", ClientFrame(0x1, [0x61, 0xC3, 0x28]), 1007 },
        { "a text message that ends inside a UTF-8 sequence", ClientFrame(0x1, [0x61, 0xE2, 0x82]), 1007 },
        { "a close frame with a one-byte payload", ClientFrame(0x8, [0x03]), 1002 },
        { "a close frame with a reserved code (1005)", ClientFrame(0x8, [0x03, 0xED]), 1002 },
        { "a 64-bit length with its top bit set", [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, .. Mask], 1002 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_protocol_violation_is_answered_with_a_close_frame_and_fails_the_receive(string what, byte[] wire, int code)
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        await WriteAsync(connection, wire);

        var receive = async () => await ReceiveMessageAsync(socket);

        await receive.Should().ThrowAsync<WebSocketException>(what);
        var written = await WrittenAsync(connection, 4);
        written[0].Should().Be(0x88, what);
        BinaryPrimitives.ReadUInt16BigEndian(written.AsSpan(2)).Should().Be((ushort)code, what);
        socket.State.Should().Be(WebSocketState.CloseSent);
    }

    [Fact]
    public async Task The_close_handshake_started_by_the_client_ends_closed()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        await WriteAsync(connection, ClientFrame(0x8, [0x0F, 0xA0, .. "bye"u8.ToArray()]));

        var result = await socket.ReceiveAsync(new byte[16].AsMemory(), CancellationToken.None);

        result.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be((WebSocketCloseStatus)4000);
        socket.CloseStatusDescription.Should().Be("bye");
        socket.State.Should().Be(WebSocketState.CloseReceived);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        socket.State.Should().Be(WebSocketState.Closed);
        (await WrittenAsync(connection, 4)).Should().Equal(0x88, 2, 0x03, 0xE8);
    }

    [Fact]
    public async Task After_our_close_data_still_arrives_until_the_clients_close_and_nothing_more_is_sent()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "going", CancellationToken.None);
        socket.State.Should().Be(WebSocketState.CloseSent);
        await WriteAsync(connection, ClientFrame(0x1, "late"u8.ToArray()), ClientFrame(0x9, []), ClientFrame(0x8, [0x03, 0xE8]));

        (await ReceiveMessageAsync(socket)).Payload.Should().Equal("late"u8.ToArray());
        (await ReceiveMessageAsync(socket)).Type.Should().Be(WebSocketMessageType.Close);

        socket.State.Should().Be(WebSocketState.Closed);
        var send = async () => await socket.SendAsync("x"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await send.Should().ThrowAsync<WebSocketException>();
        // Our close frame only: no pong after it.
        (await WrittenAsync(connection, 9)).Should().Equal([0x88, 7, 0x03, 0xE9, .. "going"u8.ToArray()]);
    }

    [Fact]
    public async Task Abort_ends_a_pending_receive()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        var receive = socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).AsTask();

        socket.Abort();

        await receive.Invoking(r => r.WaitAsync(Timeout)).Should().ThrowAsync<OperationCanceledException>();
        socket.State.Should().Be(WebSocketState.Aborted);
    }

    [Fact]
    public async Task A_wait_takes_nothing_and_an_abort_ends_it()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        var wait = socket.WaitAsync();
        await WriteAsync(connection, ClientFrame(0x1, "hi"u8.ToArray()));
        socket.EndWait(await wait.AsTask().WaitAsync(Timeout));

        (await ReceiveMessageAsync(socket)).Payload.Should().Equal("hi"u8.ToArray());

        wait = socket.WaitAsync();
        socket.Abort();
        var result = await wait.AsTask().WaitAsync(Timeout);
        socket.Invoking(s => s.EndWait(result)).Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public async Task The_end_of_the_connection_without_a_close_frame_fails_the_receive()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        await WriteAsync(connection, ClientFrame(0x1, "abc"u8.ToArray()).AsSpan(0, 4).ToArray());
        await connection.Incoming.Writer.CompleteAsync();

        var receive = async () => await ReceiveMessageAsync(socket);

        (await receive.Should().ThrowAsync<WebSocketException>()).Which.WebSocketErrorCode.Should().Be(WebSocketError.ConnectionClosedPrematurely);
    }

    [Theory]
    [InlineData(0, new byte[] { 0x81, 0 })]
    [InlineData(125, new byte[] { 0x81, 125 })]
    [InlineData(126, new byte[] { 0x81, 126, 0, 126 })]
    [InlineData(65_536, new byte[] { 0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0 })]
    public async Task A_sent_message_is_one_unmasked_final_frame_with_the_shortest_length(int length, byte[] header)
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);
        var payload = Enumerable.Range(0, length).Select(i => (byte)'a').ToArray();

        var send = socket.SendAsync(payload, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage | WebSocketMessageFlags.DisableCompression, CancellationToken.None);

        (await WrittenAsync(connection, header.Length + length)).Should().Equal([.. header, .. payload]);
        await send.AsTask().WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_message_sent_in_parts_is_a_text_frame_then_continuations()
    {
        var connection = new InMemoryConnection();
        using var socket = new PipeWebSocket(connection);

        await socket.SendAsync("ab"u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None);
        await socket.SendAsync("cd"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.SendAsync("e"u8.ToArray(), WebSocketMessageType.Binary, true, CancellationToken.None);

        (await WrittenAsync(connection, 11)).Should().Equal(0x01, 2, (byte)'a', (byte)'b', 0x80, 2, (byte)'c', (byte)'d', 0x82, 1, (byte)'e');
    }

    [Fact]
    public async Task Dotnets_client_websocket_talks_to_it_both_ways_and_closes_cleanly()
    {
        var connection = new InMemoryConnection();
        using var server = new PipeWebSocket(connection);
        using var client = WebSocket.CreateFromStream(
            new DuplexStream(connection.Outgoing.Reader.AsStream(), connection.Incoming.Writer.AsStream()),
            new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });

        foreach (var length in new[] { 1, 125, 126, 4096, 70_000 })
        {
            var text = new string('é', length);
            // Sent while received: a large message is more than the pipe holds before its writer waits for the reader.
            var sent = client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
            var (type, payload) = await ReceiveMessageAsync(server, chunk: 3000);
            await sent.WaitAsync(Timeout);
            type.Should().Be(WebSocketMessageType.Text);
            Encoding.UTF8.GetString(payload).Should().Be(text);

            var echo = server.SendAsync(payload, WebSocketMessageType.Binary, WebSocketMessageFlags.EndOfMessage, CancellationToken.None);
            var echoed = new byte[payload.Length];
            var offset = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(echoed.AsMemory(offset), CancellationToken.None).AsTask().WaitAsync(Timeout);
                offset += result.Count;
            }
            while (!result.EndOfMessage);
            await echo.AsTask().WaitAsync(Timeout);
            result.MessageType.Should().Be(WebSocketMessageType.Binary);
            echoed.Should().Equal(payload);
        }

        var clientClose = client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        (await ReceiveMessageAsync(server)).Type.Should().Be(WebSocketMessageType.Close);
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await clientClose.WaitAsync(Timeout);
        client.State.Should().Be(WebSocketState.Closed);
        server.State.Should().Be(WebSocketState.Closed);
    }

    /// <summary>One stream to read from and another to write to, as the client WebSocket wants one duplex stream.</summary>
    private sealed class DuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => read.ReadAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => write.WriteAsync(buffer, offset, count, cancellationToken);
        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);
        public override void Flush() => write.Flush();
        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);
        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
