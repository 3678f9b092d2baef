using System.Text;
using SocketIo.Adapters.Cluster;
using SocketIo.Postgres.Internal;

namespace SocketIo.Postgres.Tests;

/// <summary>The notifications' payloads, as @socket.io/postgres-adapter 0.5.0 writes and reads them.</summary>
public sealed class NotificationWireTests
{
    [Fact]
    public void An_attachment_header_is_written_as_the_npm_package_writes_it()
    {
        // JSON.stringify({ uid, type, attachmentId }) with the id as pg returns a bigint: a string.
        NotificationWire.Header("3f2a9c", ClusterMessageType.Broadcast, 17).Should().Be("{\"uid\":\"3f2a9c\",\"type\":3,\"attachmentId\":\"17\"}");
    }

    [Theory]
    [InlineData("{\"uid\":\"3f2a9c\",\"type\":2,\"attachmentId\":\"17\"}")]
    [InlineData("{\"uid\":\"3f2a9c\",\"type\":2,\"attachmentId\":17}")]
    public void An_attachment_header_is_read_with_its_id_as_a_string_or_a_number(string payload)
    {
        NotificationWire.TryRead(payload, out var message, out var uid, out var id).Should().BeTrue();
        message.Should().BeNull();
        uid.Should().Be("3f2a9c");
        id.Should().Be(17);
    }

    [Fact]
    public void A_message_of_the_npm_package_is_read_from_its_json()
    {
        var payload = "{\"type\":3,\"data\":{\"packet\":{\"type\":2,\"data\":[\"hi\",1],\"nsp\":\"/\"},\"opts\":{\"rooms\":[],\"except\":[],\"flags\":{}}},\"uid\":\"a1b2\",\"nsp\":\"/\"}";

        NotificationWire.TryRead(payload, out var message, out var uid, out _).Should().BeTrue();

        uid.Should().Be("a1b2");
        message!.Type.Should().Be(ClusterMessageType.Broadcast);
        message.Namespace.Should().Be("/");
        Encoding.UTF8.GetString(message.EncodeJson().AsSpan()).Should().Be(payload, "written back byte for byte");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"attachmentId\":\"x\"}")]
    [InlineData("{\"attachmentId\":true}")]
    [InlineData("{\"uid\":1")]
    [InlineData("[1,2]")]
    public void A_payload_that_is_neither_is_refused(string payload) =>
        NotificationWire.TryRead(payload, out _, out _, out _).Should().BeFalse();

    [Fact]
    public void Binary_messages_and_those_above_the_threshold_go_through_the_table()
    {
        var plain = ClusterMessage.Create(ClusterMessageType.Heartbeat, "u", "/", ReadOnlyMemory<byte>.Empty);
        var binary = ClusterMessage.Create(ClusterMessageType.FetchSocketsResponse, "u", "/", "{\"requestId\":\"r\",\"sockets\":[]}"u8.ToArray(), [new byte[] { 1 }]);

        NotificationWire.NeedsAttachment(plain, 8_000, 8_000).Should().BeFalse();
        NotificationWire.NeedsAttachment(plain, 8_001, 8_000).Should().BeTrue();
        NotificationWire.NeedsAttachment(binary, 10, 8_000).Should().BeTrue("any message with binary values, not only the four types the npm package checks");
    }

    [Theory]
    [InlineData("socket_io_attachments; DROP TABLE users")]
    [InlineData("a-b")]
    [InlineData("\"quoted\"")]
    [InlineData("a.b.c")]
    public void A_table_name_that_is_not_a_plain_identifier_is_refused(string name)
    {
        var options = new PostgresAdapterOptions { ConnectionString = "Host=x", TableName = name };
        options.Invoking(o => o.Validate()).Should().Throw<ArgumentException>();
    }
}
