using System.Buffers;
using System.Globalization;
using System.Text.Json;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Protocol.MsgPack;

namespace SocketIo.Tests.Protocol.MsgPack;

/// <summary>
/// Interop with the npm implementation: bytes written by notepack.io / socket.io-msgpack-parser
/// decode to what the npm decoder sees (in the neutral JSON form), what the npm decoder refuses is
/// refused, and re-encoding gives exactly the bytes notepack writes for the same value.
/// </summary>
public sealed class NotepackVectorTests(NotepackVectors fixture) : IClassFixture<NotepackVectors>
{
    private readonly NotepackVectors.VectorFile _vectors = fixture.Vectors;

    [Fact]
    public void The_generator_produced_every_kind_of_vector()
    {
        _vectors.Values.Should().HaveCountGreaterThan(50);
        _vectors.Packets.Should().HaveCountGreaterThan(20);
        _vectors.Rejected.Should().HaveCountGreaterThan(20);
        _vectors.Stricter.Should().HaveCountGreaterThan(10);
        _vectors.Values.Should().Contain(v => v.Source == "notepack").And.Contain(v => v.Source == "spec");
    }

    [Fact]
    public void Values_decode_to_the_json_the_npm_side_sees()
    {
        List<string> failures = [];
        foreach (NotepackVectors.ValueVector vector in _vectors.Values)
        {
            string? failure = DecodeValue(vector, out _, out _);
            if (failure is not null)
            {
                failures.Add($"{vector.Name}: {failure}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Values_reencode_to_the_bytes_notepack_writes()
    {
        List<string> failures = [];
        foreach (NotepackVectors.ValueVector vector in _vectors.Values)
        {
            if (DecodeValue(vector, out byte[] json, out List<ReadOnlyMemory<byte>> attachments) is not null)
            {
                failures.Add($"{vector.Name}: does not decode");
                continue;
            }

            ArrayBufferWriter<byte> output = new();
            JsonToMsgPack.Write(json, attachments, new MsgPackWriter(output), 65);
            string hex = Convert.ToHexStringLower(output.WrittenSpan);
            if (!vector.KeyOrderDiffers && hex != vector.ReencodeHex)
            {
                failures.Add($"{vector.Name}: re-encoded {Shorten(hex)}, notepack writes {Shorten(vector.ReencodeHex)}");
            }
            else if (vector.KeyOrderDiffers && hex.Length != vector.ReencodeHex.Length)
            {
                // JavaScript moves integer-like keys first; only the order may differ.
                failures.Add($"{vector.Name}: re-encoded {hex}, notepack writes (in another key order) {vector.ReencodeHex}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Packets_decode_like_the_npm_parser()
    {
        MsgPackPacketParser parser = new();
        List<string> failures = [];
        foreach (NotepackVectors.PacketVector vector in _vectors.Packets)
        {
            if (!parser.TryDecode(Convert.FromHexString(vector.Hex), out SocketIoPacket? packet, out string? error))
            {
                failures.Add($"{vector.Name}: refused ({error})");
                continue;
            }

            string? failure = ComparePacket(vector, packet);
            if (failure is not null)
            {
                failures.Add($"{vector.Name}: {failure}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Decoded_packets_reencode_to_the_bytes_the_npm_parser_writes()
    {
        MsgPackPacketParser parser = new();
        List<string> failures = [];
        foreach (NotepackVectors.PacketVector vector in _vectors.Packets)
        {
            if (!parser.TryDecode(Convert.FromHexString(vector.Hex), out SocketIoPacket? packet, out _))
            {
                failures.Add($"{vector.Name}: refused");
                continue;
            }

            string hex = Convert.ToHexStringLower(parser.Encode(packet));
            if (hex != vector.ReencodeHex)
            {
                failures.Add($"{vector.Name}: encoded {Shorten(hex)}, npm writes {Shorten(vector.ReencodeHex)}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Packets_the_npm_parser_refuses_are_refused()
    {
        MsgPackPacketParser parser = new();
        List<string> accepted = [];
        foreach (NotepackVectors.RejectedVector vector in _vectors.Rejected)
        {
            if (parser.TryDecode(Convert.FromHexString(vector.Hex), out _, out string? error))
            {
                accepted.Add($"{vector.Name} (npm: {vector.NpmError})");
            }
            else
            {
                error.Should().NotBeNullOrWhiteSpace();
            }
        }

        accepted.Should().BeEmpty();
    }

    [Fact]
    public void Packets_a_server_should_not_accept_are_refused_although_npm_accepts_them()
    {
        MsgPackPacketParser parser = new();
        List<string> accepted = [];
        foreach (NotepackVectors.StricterVector vector in _vectors.Stricter)
        {
            if (parser.TryDecode(Convert.FromHexString(vector.Hex), out _, out _))
            {
                accepted.Add($"{vector.Name} ({vector.Reason})");
            }
        }

        accepted.Should().BeEmpty();
    }

    private static string? DecodeValue(NotepackVectors.ValueVector vector, out byte[] json, out List<ReadOnlyMemory<byte>> attachments)
    {
        json = [];
        attachments = [];
        byte[] bytes = Convert.FromHexString(vector.Hex);
        ArrayBufferWriter<byte> buffer = new();
        List<ReadOnlyMemory<byte>>? found = null;
        using (Utf8JsonWriter writer = new(buffer))
        {
            MsgPackReader reader = new(bytes);
            if (!MsgPackToJson.TryConvert(ref reader, writer, ref found, 64, int.MaxValue, out string? error))
            {
                return $"refused ({error})";
            }

            if (!reader.IsAtEnd)
            {
                return $"{reader.Remaining} bytes left over";
            }
        }

        json = buffer.WrittenSpan.ToArray();
        attachments = found ?? [];
        using JsonDocument actual = JsonDocument.Parse(json);
        using JsonDocument expected = JsonDocument.Parse(vector.Json);
        return JsonEquivalence.Compare(actual.RootElement, attachments, expected.RootElement, FromHex(vector.Attachments));
    }

    private static string? ComparePacket(NotepackVectors.PacketVector vector, SocketIoPacket packet)
    {
        if ((int)packet.Type != vector.Type)
        {
            return $"type {packet.Type}, expected {vector.Type}";
        }

        if (packet.Namespace != vector.Nsp)
        {
            return $"nsp {packet.Namespace}, expected {vector.Nsp}";
        }

        long? expectedId = vector.Id is null ? null : long.Parse(vector.Id, CultureInfo.InvariantCulture);
        if (packet.Id != expectedId)
        {
            return $"id {packet.Id}, expected {expectedId}";
        }

        if (vector.Data is null)
        {
            return packet.HasData ? "has data, expected none" : null;
        }

        if (packet.Attachments.Count != vector.Attachments.Length)
        {
            return $"{packet.Attachments.Count} attachments, expected {vector.Attachments.Length}";
        }

        using JsonDocument actual = JsonDocument.Parse(packet.Data);
        using JsonDocument expected = JsonDocument.Parse(vector.Data);
        return JsonEquivalence.Compare(actual.RootElement, packet.Attachments, expected.RootElement, FromHex(vector.Attachments));
    }

    private static byte[][] FromHex(string[] hex) => Array.ConvertAll(hex, Convert.FromHexString);

    private static string Shorten(string hex) => hex.Length <= 200 ? hex : $"{hex[..200]}… ({hex.Length / 2} bytes)";
}
