using System.Buffers;
using SocketIo.Internal.Protocol.MsgPack;

namespace SocketIo.Tests.Protocol.MsgPack;

internal static class MsgPackTestBytes
{
    /// <summary>The bytes <paramref name="write"/> produces with a <see cref="MsgPackWriter"/>.</summary>
    public static byte[] Write(Action<MsgPackWriter> write)
    {
        ArrayBufferWriter<byte> output = new();
        write(new MsgPackWriter(output));
        return output.WrittenSpan.ToArray();
    }

    /// <summary><paramref name="count"/> nested one-element arrays around a nil.</summary>
    public static byte[] NestedArrays(int count)
    {
        byte[] bytes = new byte[count + 1];
        bytes.AsSpan(0, count).Fill(0x91);
        bytes[count] = MsgPackCode.Nil;
        return bytes;
    }
}
