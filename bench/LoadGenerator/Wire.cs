using System.Text;

namespace Bench;

/// <summary>How Socket.IO packets travel: JSON text, msgpack binary frames, or JSON with one binary attachment.</summary>
internal enum Wire
{
    Json,
    MsgPack,
    Binary,
}

internal static class WireNames
{
    public static string Name(this Wire wire) => wire switch
    {
        Wire.Json => "JSON",
        Wire.MsgPack => "msgpack",
        _ => "1 KB binary attachment",
    };

    /// <summary>The server-side parser the wire needs.</summary>
    public static string Parser(this Wire wire) => wire == Wire.MsgPack ? "msgpack" : "json";
}

/// <summary>
/// A packet the client sends, pre-encoded: one frame, or a text header and one binary attachment. A stamped packet
/// has a place for the timestamp digits, overwritten in place before each send (the owner serializes sends).
/// </summary>
internal sealed class OutgoingFrames
{
    private readonly int _stampOffset;

    public OutgoingFrames(byte[] first, bool firstIsBinary, byte[]? attachment = null)
    {
        First = first;
        FirstIsBinary = firstIsBinary;
        Attachment = attachment;
        var stamped = attachment ?? first;
        _stampOffset = stamped.AsSpan().IndexOf("@@"u8);
    }

    public byte[] First { get; }

    public bool FirstIsBinary { get; }

    public byte[]? Attachment { get; }

    public bool IsStamped => _stampOffset >= 0;

    public void Stamp(long ticks) => Timestamps.WriteDigits((Attachment ?? First).AsSpan(_stampOffset + 2), ticks);

    /// <summary>A private copy, for a sender that stamps its own.</summary>
    public OutgoingFrames Clone() => new((byte[])First.Clone(), FirstIsBinary, (byte[]?)Attachment?.Clone());

    public static OutgoingFrames Text(string text) => new(Encoding.UTF8.GetBytes(text), firstIsBinary: false);
}

/// <summary>Builds the client's packets for one wire.</summary>
internal sealed class FrameFactory
{
    private readonly Wire _wire;

    public FrameFactory(Wire wire) => _wire = wire;

    public static readonly OutgoingFrames Pong = OutgoingFrames.Text("3");

    /// <summary>A payload string of <paramref name="size"/> bytes: the stamp marker and digits, then padding.</summary>
    public static string PayloadText(int size) => "@@" + new string('0', Timestamps.Digits) + new string('x', Math.Max(0, size - Timestamps.StampLength));

    private static byte[] PayloadBytes(int size) => Encoding.ASCII.GetBytes(PayloadText(size));

    public OutgoingFrames Connect() => _wire == Wire.MsgPack
        ? Pack(w => w.Map(2).Str("type").Int(0).Str("nsp").Str("/"))
        : OutgoingFrames.Text("40");

    public OutgoingFrames Join(IReadOnlyList<string> rooms)
    {
        if (_wire == Wire.MsgPack)
        {
            return Pack(w =>
            {
                w.Map(4).Str("type").Int(2).Str("data").Array(2).Str("join").Array(rooms.Count);
                foreach (var room in rooms) w.Str(room);
                w.Str("nsp").Str("/").Str("id").Int(0);
            });
        }
        return OutgoingFrames.Text("420[\"join\",[" + string.Join(",", rooms.Select(r => "\"" + r + "\"")) + "]]");
    }

    public OutgoingFrames Publish(string room, int payloadSize) => _wire switch
    {
        Wire.Json => OutgoingFrames.Text($"42[\"publish\",\"{room}\",\"{PayloadText(payloadSize)}\"]"),
        Wire.MsgPack => Pack(w => w.Map(3).Str("type").Int(2).Str("data").Array(3).Str("publish").Str(room).Str(PayloadText(payloadSize)).Str("nsp").Str("/")),
        _ => new OutgoingFrames(Encoding.UTF8.GetBytes($"451-[\"publish\",\"{room}\",{{\"_placeholder\":true,\"num\":0}}]"), false, PayloadBytes(payloadSize)),
    };

    public OutgoingFrames Echo(int payloadSize) => _wire switch
    {
        Wire.Json => OutgoingFrames.Text($"421[\"echo\",\"{PayloadText(payloadSize)}\"]"),
        Wire.MsgPack => Pack(w => w.Map(4).Str("type").Int(2).Str("data").Array(2).Str("echo").Str(PayloadText(payloadSize)).Str("nsp").Str("/").Str("id").Int(1)),
        _ => new OutgoingFrames(Encoding.UTF8.GetBytes("451-1[\"echo\",{\"_placeholder\":true,\"num\":0}]"), false, PayloadBytes(payloadSize)),
    };

    private static OutgoingFrames Pack(Action<MsgPackWriter> write)
    {
        var writer = new MsgPackWriter();
        write(writer);
        return new OutgoingFrames(writer.ToArray(), firstIsBinary: true);
    }
}

/// <summary>Just enough msgpack for the client's packets.</summary>
internal sealed class MsgPackWriter
{
    private readonly MemoryStream _out = new();

    public MsgPackWriter Map(int count)
    {
        _out.WriteByte((byte)(0x80 | count));
        return this;
    }

    public MsgPackWriter Array(int count)
    {
        _out.WriteByte((byte)(0x90 | count));
        return this;
    }

    public MsgPackWriter Int(int value)
    {
        if (value is < 0 or > 127) throw new ArgumentOutOfRangeException(nameof(value));
        _out.WriteByte((byte)value);
        return this;
    }

    public MsgPackWriter Str(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length < 32) _out.WriteByte((byte)(0xa0 | bytes.Length));
        else if (bytes.Length < 256)
        {
            _out.WriteByte(0xd9);
            _out.WriteByte((byte)bytes.Length);
        }
        else
        {
            _out.WriteByte(0xda);
            _out.WriteByte((byte)(bytes.Length >> 8));
            _out.WriteByte((byte)bytes.Length);
        }
        _out.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _out.ToArray();
}

/// <summary>Receives one Socket.IO packet's bytes (valid only during the call).</summary>
internal delegate void PacketObserver(ReadOnlySpan<byte> packet);
