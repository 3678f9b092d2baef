using System.Buffers;
using System.Diagnostics;
using System.Text;
using SocketIo.Internal.Protocol;
using SocketIo.Internal.Protocol.MsgPack;
using static SocketIo.Tests.Protocol.MsgPack.MsgPackTestBytes;

namespace SocketIo.Tests.Protocol.MsgPack;

public sealed class MsgPackPacketParserTests
{
    private static readonly Action<MsgPackWriter> Undefined = w => w.WriteRaw(NotepackConventions.UndefinedBytes);

    private readonly MsgPackPacketParser _parser = new();

    private static Action<MsgPackWriter> Int(long value) => w => w.WriteInt64(value);

    private static Action<MsgPackWriter> Str(string value) => w => w.WriteString(value.AsSpan());

    private static Action<MsgPackWriter> Raw(params byte[] bytes) => w => w.WriteRaw(bytes);

    private static Action<MsgPackWriter> Arr(params Action<MsgPackWriter>[] items) => w =>
    {
        w.WriteArrayHeader(items.Length);
        foreach (Action<MsgPackWriter> item in items)
        {
            item(w);
        }
    };

    private static byte[] Map(params (string Key, Action<MsgPackWriter> Value)[] entries) => Write(w =>
    {
        w.WriteMapHeader(entries.Length);
        foreach ((string key, Action<MsgPackWriter> value) in entries)
        {
            w.WriteString(key.AsSpan());
            value(w);
        }
    });

    private static SocketIoPacket Packet(PacketType type, string nsp, long? id, string? json, params byte[][] attachments) =>
        new(type, nsp, id, json is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(json), Array.ConvertAll(attachments, a => (ReadOnlyMemory<byte>)a));

    private SocketIoPacket Decode(byte[] message)
    {
        _parser.TryDecode(message, out SocketIoPacket? packet, out string? error).Should().BeTrue(error);
        return packet!;
    }

    private string Refuse(byte[] message)
    {
        _parser.TryDecode(message, out SocketIoPacket? packet, out string? error).Should().BeFalse();
        packet.Should().BeNull();
        error.Should().NotBeNullOrWhiteSpace();
        return error!;
    }

    public static TheoryData<int, string, long?, string?> RoundTrips() => new()
    {
        { (int)PacketType.Connect, "/", null, null },
        { (int)PacketType.Connect, "/admin", null, """{"token":"abc"}""" },
        { (int)PacketType.Disconnect, "/chat", null, null },
        { (int)PacketType.Event, "/", null, """["message","hi",{"n":1.5,"list":[1,null,true]}]""" },
        { (int)PacketType.Event, "/日本", 0, """["ev"]""" },
        { (int)PacketType.Event, "/", long.MaxValue, """["ev",-1]""" },
        { (int)PacketType.Ack, "/", 42, "[]" },
        { (int)PacketType.Ack, "/", 7, """[null,{"ok":true}]""" },
        { (int)PacketType.ConnectError, "/", null, """{"message":"Not authorized"}""" },
        { (int)PacketType.ConnectError, "/", null, "\"Invalid namespace\"" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Packets_round_trip(int type, string nsp, long? id, string? json)
    {
        SocketIoPacket decoded = Decode(_parser.Encode(Packet((PacketType)type, nsp, id, json)));

        decoded.Type.Should().Be((PacketType)type);
        decoded.Namespace.Should().Be(nsp);
        decoded.Id.Should().Be(id);
        decoded.HasData.Should().Be(json is not null);
        if (json is not null)
        {
            Encoding.UTF8.GetString(decoded.Data.Span).Should().Be(json);
        }

        decoded.Attachments.Should().BeEmpty();
    }

    [Fact]
    public void Encoding_writes_one_map_in_the_order_type_nsp_data_id()
    {
        byte[] bytes = _parser.Encode(Packet(PacketType.Event, "/", 5, """["ev",1]"""));

        bytes.Should().Equal(Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), Int(1))), ("id", Int(5))));
    }

    [Fact]
    public void Encoding_into_a_buffer_writer_appends()
    {
        ArrayBufferWriter<byte> output = new();
        output.Write<byte>([0xaa]);

        _parser.Encode(Packet(PacketType.Connect, "/", null, null), output);

        output.WrittenSpan.ToArray().Should().Equal([0xaa, .. Map(("type", Int(0)), ("nsp", Str("/")))]);
    }

    [Fact]
    public void Binary_packets_are_written_as_plain_event_and_ack_with_native_bin()
    {
        SocketIoPacket binaryEvent = Packet(PacketType.BinaryEvent, "/", null, """["up",{"_placeholder":true,"num":0},{"f":{"_placeholder":true,"num":1}}]""", [1, 2, 3], []);
        SocketIoPacket binaryAck = Packet(PacketType.BinaryAck, "/", 3, """[{"_placeholder":true,"num":0}]""", [9]);

        _parser.Encode(binaryEvent).Should().Equal(Map(
            ("type", Int(2)),
            ("nsp", Str("/")),
            ("data", Arr(Str("up"), w => w.WriteBinary([1, 2, 3]), w =>
            {
                w.WriteMapHeader(1);
                w.WriteString("f"u8);
                w.WriteBinary([]);
            }))));
        _parser.Encode(binaryAck).Should().Equal(Map(
            ("type", Int(3)),
            ("nsp", Str("/")),
            ("data", Arr(w => w.WriteBinary([9]))),
            ("id", Int(3))));
    }

    [Fact]
    public void Decoded_binaries_become_attachments_and_the_type_stays_event_or_ack()
    {
        byte[] message = Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("up"), w => w.WriteBinary([1, 2]), w => w.WriteBinary([3]))));

        SocketIoPacket packet = Decode(message);

        packet.Type.Should().Be(PacketType.Event);
        Encoding.UTF8.GetString(packet.Data.Span).Should().Be("""["up",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]""");
        packet.Attachments.Should().HaveCount(2);
        packet.Attachments[0].ToArray().Should().Equal(1, 2);
        packet.Attachments[1].ToArray().Should().Equal(3);

        SocketIoPacket ack = Decode(Map(("type", Int(3)), ("nsp", Str("/")), ("data", Arr(w => w.WriteBinary([7]))), ("id", Int(1))));
        ack.Type.Should().Be(PacketType.Ack);
        ack.Attachments.Should().ContainSingle();

        _parser.Encode(packet).Should().Equal(message);
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_repeated_keys_take_their_last_value()
    {
        byte[] message = Map(
            ("type", Int(0)),
            ("extra", Arr(Int(1), Arr(Str("deep")))),
            ("nsp", Str("/x")),
            ("type", Int(2)),
            ("data", Arr(Str("first"))),
            ("data", Arr(Str("second"))));

        SocketIoPacket packet = Decode(message);

        packet.Type.Should().Be(PacketType.Event);
        packet.Namespace.Should().Be("/x");
        Encoding.UTF8.GetString(packet.Data.Span).Should().Be("""["second"]""");
    }

    [Fact]
    public void Keys_that_are_not_strings_are_skipped()
    {
        byte[] message = Write(w =>
        {
            w.WriteMapHeader(4);
            w.WriteString("type"u8);
            w.WriteInt64(1);
            w.WriteInt64(7);
            w.WriteString("type"u8);
            w.WriteArrayHeader(1);
            w.WriteString("type"u8);
            w.WriteInt64(2);
            w.WriteString("nsp"u8);
            w.WriteString("/"u8);
        });

        Decode(message).Type.Should().Be(PacketType.Disconnect);
    }

    [Fact]
    public void Undefined_fields_count_as_absent()
    {
        SocketIoPacket packet = Decode(Map(("type", Int(0)), ("nsp", Str("/")), ("data", Undefined), ("id", Undefined)));

        packet.HasData.Should().BeFalse();
        packet.Id.Should().BeNull();
        Refuse(Map(("type", Undefined), ("nsp", Str("/")))).Should().Be("invalid packet type");
        Refuse(Map(("type", Int(0)), ("nsp", Undefined))).Should().Be("invalid namespace");
    }

    [Fact]
    public void Integral_floats_count_as_integers_as_Number_isInteger_says()
    {
        SocketIoPacket packet = Decode(Map(("type", w => w.WriteFloat64(3.0)), ("nsp", Str("/")), ("data", Arr()), ("id", w => w.WriteFloat32(12f))));

        packet.Type.Should().Be(PacketType.Ack);
        packet.Id.Should().Be(12);
    }

    public static TheoryData<string, byte[], string> InvalidPackets() => new()
    {
        { "type is a string", Map(("type", Str("2")), ("nsp", Str("/")), ("data", Arr(Str("x")))), "invalid packet type" },
        { "type 5 (BINARY_EVENT)", Map(("type", Int(5)), ("nsp", Str("/")), ("data", Arr(Str("x")))), "invalid packet type" },
        { "type 6 (BINARY_ACK)", Map(("type", Int(6)), ("nsp", Str("/")), ("data", Arr()), ("id", Int(1))), "invalid packet type" },
        { "type -1", Map(("type", Int(-1)), ("nsp", Str("/"))), "invalid packet type" },
        { "type 2.5", Map(("type", w => w.WriteFloat64(2.5)), ("nsp", Str("/"))), "invalid packet type" },
        { "type NaN", Map(("type", w => w.WriteFloat64(double.NaN)), ("nsp", Str("/"))), "invalid packet type" },
        { "type uint64 max", Map(("type", w => w.WriteUInt64(ulong.MaxValue)), ("nsp", Str("/"))), "invalid packet type" },
        { "type nil", Map(("type", w => w.WriteNil()), ("nsp", Str("/"))), "invalid packet type" },
        { "type missing", Map(("nsp", Str("/")), ("data", Arr(Str("x")))), "invalid packet type" },
        { "nsp missing", Map(("type", Int(0))), "invalid namespace" },
        { "nsp is a number", Map(("type", Int(0)), ("nsp", Int(1))), "invalid namespace" },
        { "nsp is binary", Map(("type", Int(0)), ("nsp", w => w.WriteBinary("/"u8))), "invalid namespace" },
        { "nsp is empty", Map(("type", Int(0)), ("nsp", Str(""))), "invalid namespace*'/'*" },
        { "nsp without slash", Map(("type", Int(0)), ("nsp", Str("admin"))), "invalid namespace*'/'*" },
        { "CONNECT data is an array", Map(("type", Int(0)), ("nsp", Str("/")), ("data", Arr())), "invalid payload" },
        { "CONNECT data is nil", Map(("type", Int(0)), ("nsp", Str("/")), ("data", w => w.WriteNil())), "invalid payload" },
        { "DISCONNECT with data", Map(("type", Int(1)), ("nsp", Str("/")), ("data", w => w.WriteMapHeader(0))), "invalid payload" },
        { "EVENT without data", Map(("type", Int(2)), ("nsp", Str("/"))), "invalid payload" },
        { "EVENT data is a map", Map(("type", Int(2)), ("nsp", Str("/")), ("data", w => w.WriteMapHeader(0))), "invalid payload" },
        { "EVENT data is a string", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Str("ev"))), "invalid payload" },
        { "EVENT data is an ext", Map(("type", Int(2)), ("nsp", Str("/")), ("data", w => w.WriteExtension(5, [1, 2]))), "invalid payload" },
        { "EVENT data is empty", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr())), "invalid payload*event name*" },
        { "EVENT name is a number", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Int(1)))), "invalid payload*event name*" },
        { "EVENT name is binary", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(w => w.WriteBinary("ev"u8)))), "invalid payload*event name*" },
        { "ACK without data", Map(("type", Int(3)), ("nsp", Str("/")), ("id", Int(1))), "invalid payload" },
        { "ACK data is a map", Map(("type", Int(3)), ("nsp", Str("/")), ("data", w => w.WriteMapHeader(0)), ("id", Int(1))), "invalid payload" },
        { "ACK without id", Map(("type", Int(3)), ("nsp", Str("/")), ("data", Arr())), "invalid packet id*ACK*" },
        { "CONNECT_ERROR without data", Map(("type", Int(4)), ("nsp", Str("/"))), "invalid payload" },
        { "CONNECT_ERROR data is a number", Map(("type", Int(4)), ("nsp", Str("/")), ("data", Int(1))), "invalid payload" },
        { "id is negative", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", Int(-1))), "invalid packet id" },
        { "id is a string", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", Str("1"))), "invalid packet id" },
        { "id is nil", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", w => w.WriteNil())), "invalid packet id" },
        { "id is 1.5", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", w => w.WriteFloat64(1.5))), "invalid packet id" },
        { "id beyond long", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", w => w.WriteUInt64(ulong.MaxValue))), "invalid packet id" },
        { "id is infinite", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"))), ("id", w => w.WriteFloat64(double.PositiveInfinity))), "invalid packet id" },
        { "id is an array", Map(("type", Int(3)), ("nsp", Str("/")), ("data", Arr()), ("id", Arr(Int(1)))), "invalid packet id" },
        { "top level is an array", Write(w => Arr(Int(2), Str("/"), Arr(Str("x")))(w)), "invalid packet: not a msgpack map" },
        { "top level is nil", [0xc0], "invalid packet: not a msgpack map" },
        { "empty message", [], "invalid packet: *truncated*" },
        { "trailing byte", [.. Map(("type", Int(0)), ("nsp", Str("/"))), 0xc0], "invalid packet: 1 trailing bytes" },
        { "reserved byte in an unknown field", Map(("type", Int(0)), ("nsp", Str("/")), ("x", Raw(0xc1))), "invalid packet: *0xc1*" },
        { "reserved byte in data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), Raw(0xc1)))), "invalid packet: *0xc1*" },
        { "invalid UTF-8 in nsp", Map(("type", Int(0)), ("nsp", Raw(0xa2, 0x2f, 0xff))), "invalid packet: *UTF-8*" },
        { "invalid UTF-8 in an unknown key", Write(w => { w.WriteMapHeader(1); w.WriteRaw([0xa1, 0xff]); w.WriteNil(); }), "invalid packet: *UTF-8*" },
        { "array map key in data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), w => { w.WriteMapHeader(1); w.WriteArrayHeader(0); w.WriteNil(); }))), "invalid payload: unsupported msgpack map key*" },
    };

    [Theory]
    [MemberData(nameof(InvalidPackets))]
    public void Invalid_packets_are_refused_with_a_reason(string name, byte[] message, string expectedError)
    {
        Refuse(message).Should().Match(expectedError, name);
    }

    [Theory]
    [InlineData("connect")]
    [InlineData("connect_error")]
    [InlineData("disconnect")]
    [InlineData("disconnecting")]
    [InlineData("newListener")]
    [InlineData("removeListener")]
    public void Reserved_event_names_are_refused(string name)
    {
        Refuse(Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str(name), Int(1))))).Should().Contain("reserved event name");

        // Only as the event name: anywhere else they are ordinary strings.
        Decode(Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), Str(name)))));
        Decode(Map(("type", Int(3)), ("nsp", Str("/")), ("data", Arr(Str(name))), ("id", Int(1))));
        Decode(Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str(name + "!")))));
    }

    [Fact]
    public void A_packet_cut_short_at_every_byte_is_refused()
    {
        byte[] message = _parser.Encode(Packet(
            PacketType.BinaryEvent,
            "/chat",
            123456,
            """["message",{"text":"héllo","n":[1,-200,70000,1.5,null,true]},{"_placeholder":true,"num":0}]""",
            new byte[300]));
        Decode(message);

        for (int length = 0; length < message.Length; length++)
        {
            _parser.TryDecode(message.AsMemory(0, length), out _, out string? error).Should().BeFalse($"{length} of {message.Length} bytes");
            error.Should().NotBeNullOrEmpty();
        }
    }

    [Fact]
    public void Corrupted_packets_never_throw()
    {
        byte[] original = _parser.Encode(Packet(
            PacketType.Event,
            "/",
            9,
            """["ev",{"a":[1,2,{"b":"c"}],"d":1.25,"e":{"_placeholder":true,"num":0}},"text",-5]""",
            [1, 2, 3]));
        Random random = new(99);
        byte[] message = new byte[original.Length];
        for (int i = 0; i < 20_000; i++)
        {
            original.CopyTo(message, 0);
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                message[random.Next(message.Length)] = (byte)random.Next(256);
            }

            _parser.TryDecode(message, out SocketIoPacket? packet, out string? error);
            (packet is null).Should().Be(error is not null);
        }
    }

    public static TheoryData<string, byte[]> HugeDeclaredLengths() => new()
    {
        { "data is an array 32 of 4 billion elements", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Raw(0xdd, 0xff, 0xff, 0xff, 0xff, 0xa1, 0x61, 0x01))) },
        { "a map 32 of 2 billion pairs inside data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), Raw(0xdf, 0x7f, 0xff, 0xff, 0xff, 0xc0, 0xc0)))) },
        { "a str 32 of 4 GiB inside data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), Raw(0xdb, 0xff, 0xff, 0xff, 0xff, 0x61)))) },
        { "a bin 32 of 4 GiB inside data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), Raw(0xc6, 0xff, 0xff, 0xff, 0xff, 0x00)))) },
        { "an ext 32 of 4 GiB inside data", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("x"), Raw(0xc9, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00)))) },
        { "an array 32 in an unknown field", Map(("type", Int(0)), ("nsp", Str("/")), ("junk", Raw(0xdd, 0xff, 0xff, 0xff, 0xff, 0xc0))) },
        { "a top-level map 32 of 4 billion pairs", [0xdf, 0xff, 0xff, 0xff, 0xff, 0xa4, .. "type"u8, 0x02] },
        { "an array 16 that overruns a valid packet", Map(("type", Int(2)), ("nsp", Str("/")), ("data", Raw(0xdc, 0x00, 0x10, 0xa1, 0x61))) },
    };

    [Theory]
    [MemberData(nameof(HugeDeclaredLengths))]
    public void Huge_declared_lengths_are_refused_fast_without_allocating_for_them(string name, byte[] message)
    {
        _parser.TryDecode(message, out _, out _); // warm up: JIT and static initialisation allocate
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        Stopwatch clock = Stopwatch.StartNew();

        bool decoded = _parser.TryDecode(message, out _, out string? error);

        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        decoded.Should().BeFalse(name);
        error.Should().Contain("exceeds the remaining input", name);
        allocated.Should().BeLessThan(64 * 1024, name);
        clock.ElapsedMilliseconds.Should().BeLessThan(200, name);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("unknown")]
    [InlineData("key")]
    public void One_hundred_thousand_nested_levels_are_refused_without_overflowing_the_stack(string where)
    {
        byte[] nested = NestedArrays(100_000);
        byte[] message = where switch
        {
            "data" => Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), Raw(nested)))),
            "unknown" => Map(("type", Int(0)), ("nsp", Str("/")), ("junk", Raw(nested))),
            _ => Write(w =>
            {
                w.WriteMapHeader(3);
                w.WriteString("type"u8);
                w.WriteInt64(0);
                w.WriteString("nsp"u8);
                w.WriteString("/"u8);
                w.WriteRaw(nested);
                w.WriteNil();
            }),
        };

        Refuse(message).Should().Contain("nested too deeply");
    }

    [Fact]
    public void The_depth_limit_applies_to_the_payload_and_can_be_set()
    {
        // data = ["ev", [[1]]]: three levels.
        byte[] message = Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), Arr(Arr(Int(1))))));

        new MsgPackPacketParser(maxDepth: 3).TryDecode(message, out _, out _).Should().BeTrue();
        new MsgPackPacketParser(maxDepth: 2).TryDecode(message, out _, out string? error).Should().BeFalse();
        error.Should().Contain("nested");

        Action zero = () => _ = new MsgPackPacketParser(maxDepth: 0);
        zero.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_default_depth_limit_is_that_of_System_Text_Json()
    {
        // The data array itself is the first level.
        static byte[] EventNested(int levels)
        {
            Action<MsgPackWriter> inner = Int(1);
            for (int i = 0; i < levels - 1; i++)
            {
                inner = Arr(inner);
            }

            return Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), inner)));
        }

        // What the parser accepts, a JsonDocument with default options can read.
        SocketIoPacket packet = Decode(EventNested(64));
        using (System.Text.Json.JsonDocument.Parse(packet.Data))
        {
        }

        Refuse(EventNested(65)).Should().Contain("nested");
        MsgPackPacketParser.DefaultMaxDepth.Should().Be(64);
    }

    [Fact]
    public void The_number_of_binaries_can_be_limited()
    {
        byte[] message = Map(("type", Int(2)), ("nsp", Str("/")), ("data", Arr(Str("ev"), w => w.WriteBinary([1]), w => w.WriteBinary([2]))));

        new MsgPackPacketParser(maxAttachments: 2).TryDecode(message, out _, out _).Should().BeTrue();
        new MsgPackPacketParser(maxAttachments: 1).TryDecode(message, out _, out string? error).Should().BeFalse();
        error.Should().Contain("more than 1 binary");
    }

    [Fact]
    public void Encoding_refuses_a_placeholder_without_its_attachment()
    {
        Action act = () => _parser.Encode(Packet(PacketType.BinaryEvent, "/", null, """["ev",{"_placeholder":true,"num":1}]""", [1]));

        act.Should().Throw<ArgumentException>().WithMessage("illegal attachments*");
    }

    [Fact]
    public void Encoding_a_payload_as_deep_as_decoding_allows_plus_a_placeholder_works()
    {
        string json = new string('[', 64) + """{"_placeholder":true,"num":0}""" + new string(']', 64);

        byte[] message = _parser.Encode(Packet(PacketType.BinaryAck, "/", 1, json, [5]));

        new MsgPackPacketParser(maxDepth: 65).TryDecode(message, out SocketIoPacket? packet, out _).Should().BeTrue();
        packet!.Attachments.Single().ToArray().Should().Equal(5);
    }

    [Fact]
    public void Packets_keep_their_own_bytes_when_the_thread_decodes_and_encodes_more()
    {
        // Both directions convert in a per-thread scratch buffer: what a packet keeps must be its own copy.
        string big = new('x', 100_000);
        SocketIoPacket first = Decode(_parser.Encode(Packet(PacketType.Event, "/", 1, """["a",1]""")));
        byte[] firstEncoded = _parser.Encode(Packet(PacketType.Event, "/", 2, """["b",2]"""));
        SocketIoPacket large = Decode(_parser.Encode(Packet(PacketType.Event, "/", 3, $"""["c","{big}"]""")));
        SocketIoPacket after = Decode(_parser.Encode(Packet(PacketType.Event, "/", 4, """["d",4]""")));

        Encoding.UTF8.GetString(first.Data.Span).Should().Be("""["a",1]""");
        Decode(firstEncoded).Id.Should().Be(2);
        Encoding.UTF8.GetString(large.Data.Span).Should().Be($"""["c","{big}"]""");
        Encoding.UTF8.GetString(after.Data.Span).Should().Be("""["d",4]""");
    }

    [Fact]
    public void A_failed_conversion_leaves_the_next_one_clean()
    {
        // A payload whose nesting is over the limit fails half-way through the conversion.
        var deep = new MsgPackPacketParser(maxDepth: 2);
        string nested = """["e",[[[1]]]]""";
        deep.TryDecode(_parser.Encode(Packet(PacketType.Event, "/", null, nested)), out _, out string? error).Should().BeFalse();
        error.Should().NotBeNull();
        Encoding.UTF8.GetString(Decode(_parser.Encode(Packet(PacketType.Event, "/", null, """["f",[1]]"""))).Data.Span).Should().Be("""["f",[1]]""");
    }
}
