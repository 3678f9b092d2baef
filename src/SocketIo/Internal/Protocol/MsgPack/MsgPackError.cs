namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>Why <see cref="MsgPackReader"/> refused to read a value.</summary>
internal enum MsgPackError : byte
{
    None = 0,

    /// <summary>The input ends inside a value's header or fixed-size payload.</summary>
    Truncated,

    /// <summary>A declared string/binary/extension length, or an array/map count, cannot fit in the bytes that remain.</summary>
    LengthExceedsInput,

    /// <summary>The reserved format byte 0xc1.</summary>
    ReservedCode,

    /// <summary>A str value whose bytes are not well-formed UTF-8.</summary>
    InvalidUtf8,

    /// <summary>Arrays and maps nested deeper than the caller's limit.</summary>
    DepthExceeded,

    /// <summary>A typed read (e.g. <see cref="MsgPackReader.TryReadInt64"/>) found a value of another type or range.</summary>
    UnexpectedType,
}
