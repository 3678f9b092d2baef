namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// How notepack.io 2.2 (the codec under the npm <c>socket.io-msgpack-parser</c> 3.0.2) maps JavaScript
/// values onto msgpack ext types. All use ext type 0 and are told apart by the format byte:
/// <list type="bullet">
/// <item><c>undefined</c>: fixext 1, type 0 (data byte ignored on decode).</item>
/// <item><c>Date</c>: fixext 8, type 0, the time value in ms as a big-endian int64.</item>
/// <item><c>ArrayBuffer</c> and typed arrays: ext 8/16/32, type 0, the raw bytes (decoded as an ArrayBuffer).</item>
/// <item>Anything else (fixext 2/4/16 of any type, other types) decodes as the array <c>[type, Buffer]</c>.</item>
/// </list>
/// Node Buffers use plain bin; numbers are ints when integral and finite, float 64 otherwise.
/// </summary>
internal static class NotepackConventions
{
    /// <summary>The ext type notepack uses for undefined, Date and ArrayBuffer.</summary>
    public const sbyte ExtensionType = 0;

    /// <summary>notepack's encoding of <c>undefined</c>: fixext 1, type 0, one zero data byte.</summary>
    public static ReadOnlySpan<byte> UndefinedBytes => [MsgPackCode.FixExt1, 0, 0];

    public static bool IsUndefined(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension && token.Code == MsgPackCode.FixExt1 && token.ExtensionType == ExtensionType;

    public static bool IsDate(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension && token.Code == MsgPackCode.FixExt8 && token.ExtensionType == ExtensionType;

    public static bool IsArrayBuffer(in MsgPackToken token) =>
        token.Kind == MsgPackTokenKind.Extension
        && token.Code is MsgPackCode.Ext8 or MsgPackCode.Ext16 or MsgPackCode.Ext32
        && token.ExtensionType == ExtensionType;
}
