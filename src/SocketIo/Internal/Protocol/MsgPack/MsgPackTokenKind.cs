namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>The kind of a value read by <see cref="MsgPackReader"/>; one per msgpack type family.</summary>
internal enum MsgPackTokenKind : byte
{
    /// <summary>No token (the default value of <see cref="MsgPackToken"/>).</summary>
    None = 0,
    Nil,
    Boolean,

    /// <summary>Any of positive/negative fixint, uint 8–64, int 8–64.</summary>
    Integer,

    /// <summary>float 32 or float 64.</summary>
    Float,

    /// <summary>fixstr, str 8/16/32; the bytes are valid UTF-8.</summary>
    String,

    /// <summary>bin 8/16/32.</summary>
    Binary,

    /// <summary>fixarray, array 16/32: the header only; the elements follow.</summary>
    Array,

    /// <summary>fixmap, map 16/32: the header only; the key/value pairs follow.</summary>
    Map,

    /// <summary>fixext 1/2/4/8/16, ext 8/16/32.</summary>
    Extension,
}
