using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SocketIo.Internal.Serialization;
using SocketIo.NewtonsoftJson;

namespace SocketIo.Tests.Integration;

/// <summary>A socket's handshake emitted to its client: the reference's shape, whatever the serializer.</summary>
public sealed partial class HandshakeSerializationTests
{
    private static readonly string[] ReferenceKeys = ["headers", "time", "address", "xdomain", "secure", "issued", "url", "query", "auth"];

    [Fact]
    public async Task An_emitted_handshake_has_the_reference_shape_alone_and_nested()
    {
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s =>
            s.Emit("handshake", s.Handshake, new Dictionary<string, object> { ["local"] = s.Handshake, ["remote"] = RemoteHandshake.From(s.Handshake) })));

        await ReceiveAndCheckAsync(server);
    }

    [Fact]
    public async Task An_emitted_handshake_has_the_reference_shape_with_newtonsoft_json()
    {
        await using var server = await TestServer.StartAsync(
            io => io.OnConnection(s =>
                s.Emit("handshake", s.Handshake, new Dictionary<string, object> { ["local"] = s.Handshake, ["remote"] = RemoteHandshake.From(s.Handshake) })),
            o => o.UseNewtonsoftJson());

        await ReceiveAndCheckAsync(server);
    }

    [Fact]
    public async Task The_library_context_serializes_a_handshake_without_reflection()
    {
        var written = new TaskCompletionSource<(string Local, string Remote)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(io => io.OnConnection(s => written.TrySetResult((
            JsonSerializer.Serialize(s.Handshake, SocketIoJsonContext.Default.SocketIoHandshake),
            JsonSerializer.Serialize(RemoteHandshake.From(s.Handshake), SocketIoJsonContext.Default.RemoteHandshake)))));
        await using var client = await RawClient.ConnectAsync(server, "&x=1");
        await client.JoinAsync("/", "{\"token\":\"t\"}");

        var (local, remote) = await written.Task.WaitAsync(TestServer.Timeout);
        using var localJson = JsonDocument.Parse(local);
        using var remoteJson = JsonDocument.Parse(remote);
        CheckShape(localJson.RootElement);
        remote.Should().Be(local);
        JsonSerializer.Deserialize(remote, SocketIoJsonContext.Default.RemoteHandshake)!.Auth.GetProperty("token").GetString().Should().Be("t");
    }

    private static async Task ReceiveAndCheckAsync(TestServer server)
    {
        await using var client = await RawClient.ConnectAsync(server, "&x=1");
        await client.JoinAsync("/", "{\"token\":\"t\"}");

        var frame = await client.ReceiveTextAsync();
        frame.Should().StartWith("42[\"handshake\",");
        using var json = JsonDocument.Parse(frame[2..]);
        var args = json.RootElement;
        CheckShape(args[1]);
        CheckShape(args[2].GetProperty("local"));
        CheckShape(args[2].GetProperty("remote"));
        args[2].GetProperty("local").GetRawText().Should().Be(args[1].GetRawText());
    }

    private static void CheckShape(JsonElement handshake)
    {
        handshake.EnumerateObject().Select(p => p.Name).Should().Equal(ReferenceKeys);
        handshake.GetProperty("headers").EnumerateObject().Select(p => p.Name).Should().Contain("host").And.OnlyContain(n => n == n.ToLowerInvariant());
        handshake.GetProperty("address").GetString().Should().BeOneOf("127.0.0.1", "::ffff:127.0.0.1");
        handshake.GetProperty("xdomain").ValueKind.Should().Be(JsonValueKind.False);
        handshake.GetProperty("secure").ValueKind.Should().Be(JsonValueKind.False);
        handshake.GetProperty("url").GetString().Should().StartWith("/socket.io/?").And.Contain("x=1");
        handshake.GetProperty("query").GetProperty("x").GetString().Should().Be("1");
        handshake.GetProperty("query").GetProperty("EIO").GetString().Should().Be("4");
        handshake.GetProperty("auth").GetProperty("token").GetString().Should().Be("t");

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(handshake.GetProperty("issued").GetInt64());
        issued.Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
        // JavaScript's Date.toString(): the same instant as issued, to the second.
        var time = handshake.GetProperty("time").GetString()!;
        var match = DateString().Match(time);
        match.Success.Should().BeTrue(time);
        DateTime.ParseExact(match.Groups[1].Value, "ddd MMM dd yyyy HH:mm:ss", CultureInfo.InvariantCulture)
            .Should().Be(new DateTime(issued.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond));
    }

    [GeneratedRegex(@"^([A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2}) GMT\+0000 \(Coordinated Universal Time\)$")]
    private static partial Regex DateString();
}
