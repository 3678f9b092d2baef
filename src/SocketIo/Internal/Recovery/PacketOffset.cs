using System.Globalization;
using System.Security.Cryptography;

namespace SocketIo.Internal.Recovery;

/// <summary>
/// The offsets a recovery store puts at the end of the events it sends: <c>"EPOCH-N"</c>, N counting the store's
/// events from 1. The random epoch tells this store's offsets apart from any other string a client may remember as
/// its last argument (the client keeps whatever string comes last), from another namespace's, and from a previous
/// process's.
/// </summary>
internal readonly struct PacketOffset
{
    private readonly string _epoch;

    private PacketOffset(string epoch) => _epoch = epoch;

    public static PacketOffset NewEpoch() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    public string Format(long sequence) => string.Create(CultureInfo.InvariantCulture, $"{_epoch}-{sequence}");

    /// <summary>The sequence number of an offset of this epoch; false for anything else.</summary>
    public bool TryParse(string offset, out long sequence)
    {
        sequence = 0;
        return offset.Length > _epoch.Length + 1
            && offset.StartsWith(_epoch, StringComparison.Ordinal)
            && offset[_epoch.Length] == '-'
            && long.TryParse(offset.AsSpan(_epoch.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>
    /// The JSON array <paramref name="jsonArray"/> with <paramref name="offset"/> appended as its last element. The
    /// offset is made of hex digits, a dash and decimal digits: nothing to escape.
    /// </summary>
    public static byte[] AppendTo(ReadOnlySpan<byte> jsonArray, string offset)
    {
        var whitespace = " \t\r\n"u8;
        var trimmed = jsonArray.Trim(whitespace);
        var body = trimmed.Length >= 2 && trimmed[0] == (byte)'[' && trimmed[^1] == (byte)']' ? trimmed[..^1].TrimEnd(whitespace) : default;
        if (body.Length < 2) throw new ArgumentException("An event payload must be a non-empty JSON array.", nameof(jsonArray));
        var result = new byte[body.Length + offset.Length + 4];
        body.CopyTo(result);
        var position = body.Length;
        result[position++] = (byte)',';
        result[position++] = (byte)'"';
        position += System.Text.Encoding.ASCII.GetBytes(offset, result.AsSpan(position));
        result[position++] = (byte)'"';
        result[position] = (byte)']';
        return result;
    }
}
