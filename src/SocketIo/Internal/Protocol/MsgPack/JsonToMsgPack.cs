using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Converts a UTF-8 JSON payload with binary placeholders back into one msgpack value, as notepack.io
/// would encode the JavaScript value <c>JSON.parse</c> gives for it, with placeholders replaced by
/// their attachments as bin.
/// </summary>
/// <remarks>
/// <para>Numbers follow notepack: a value that is integral (<c>3</c>, <c>3.0</c>, <c>3e2</c>) is
/// written as the smallest int, anything else as float 64. Integer literals beyond 2^53 are kept exact
/// (JavaScript would round them); integral values outside the int64/uint64 range become float 64.</para>
/// <para>A placeholder is any object whose <c>_placeholder</c> property is <c>true</c>, as
/// socket.io-parser decides; its <c>num</c> must be an integer index into the attachments, or
/// <see cref="ArgumentException"/> is thrown ("illegal attachments", as socket.io-parser says).</para>
/// <para>msgpack needs every array and map count up front, so the JSON is read twice: once to count
/// each container's elements (and recognise placeholders), once to write. Both passes stream with
/// <see cref="Utf8JsonReader"/>; nothing is materialised.</para>
/// </remarks>
internal static class JsonToMsgPack
{
    private const int StackallocDepth = 128;
    private const int StackallocStringBytes = 256;

    /// <summary>
    /// Writes <paramref name="json"/> as one msgpack value. The input is trusted (produced by this
    /// server): malformed JSON throws <see cref="JsonException"/>, a bad placeholder <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="json">The payload: one JSON value.</param>
    /// <param name="attachments">The binaries the placeholders refer to.</param>
    /// <param name="writer">Where the msgpack value goes.</param>
    /// <param name="maxDepth">The deepest JSON nesting accepted.</param>
    public static void Write(ReadOnlySpan<byte> json, IReadOnlyList<ReadOnlyMemory<byte>> attachments, MsgPackWriter writer, int maxDepth)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDepth, 1);
        JsonReaderOptions options = new() { MaxDepth = maxDepth };

        int[] slots = ArrayPool<int>.Shared.Rent(16);
        try
        {
            int slotCount = CountContainers(json, options, attachments.Count, ref slots);
            WriteValues(json, options, attachments, writer, slots.AsSpan(0, slotCount));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
        }
    }

    /// <summary>
    /// First pass: for each array/object in document order, its element count, or for a placeholder
    /// <c>~num</c> (always negative, so it cannot be mistaken for a count).
    /// </summary>
    private static int CountContainers(ReadOnlySpan<byte> json, JsonReaderOptions options, int attachmentCount, ref int[] slots)
    {
        Span<Frame> frames = options.MaxDepth <= StackallocDepth ? stackalloc Frame[StackallocDepth] : new Frame[options.MaxDepth];
        int depth = 0;
        int slotCount = 0;
        Utf8JsonReader reader = new(json, options);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    CountValue(frames, depth, ref reader);
                    if (slotCount == slots.Length)
                    {
                        Grow(ref slots);
                    }

                    frames[depth++] = new Frame { Slot = slotCount++, IsObject = reader.TokenType == JsonTokenType.StartObject };
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    ref Frame closed = ref frames[--depth];
                    if (closed.PlaceholderTrue)
                    {
                        if (!closed.HasNum || closed.Num < 0 || closed.Num >= attachmentCount)
                        {
                            string num = closed.HasNum ? closed.Num.ToString(CultureInfo.InvariantCulture) : "(none)";
                            throw new ArgumentException($"illegal attachments: a placeholder refers to attachment {num} of {attachmentCount}");
                        }

                        slots[closed.Slot] = ~closed.Num;
                    }
                    else
                    {
                        slots[closed.Slot] = closed.Count;
                    }

                    break;
                case JsonTokenType.PropertyName:
                    ref Frame owner = ref frames[depth - 1];
                    owner.Pending = reader.ValueTextEquals("_placeholder"u8) ? PendingProperty.Placeholder
                        : reader.ValueTextEquals("num"u8) ? PendingProperty.Num
                        : PendingProperty.Other;
                    break;
                default:
                    CountValue(frames, depth, ref reader);
                    break;
            }
        }

        return slotCount;
    }

    /// <summary>Counts a value in its parent and, for the two properties that make a placeholder, remembers it (the last occurrence wins, as in JavaScript).</summary>
    private static void CountValue(scoped Span<Frame> frames, int depth, ref Utf8JsonReader reader)
    {
        if (depth == 0)
        {
            return;
        }

        ref Frame parent = ref frames[depth - 1];
        parent.Count++;
        if (!parent.IsObject)
        {
            return;
        }

        switch (parent.Pending)
        {
            case PendingProperty.Placeholder:
                parent.PlaceholderTrue = reader.TokenType == JsonTokenType.True;
                break;
            case PendingProperty.Num:
                parent.HasNum = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out parent.Num);
                break;
        }

        parent.Pending = PendingProperty.None;
    }

    /// <summary>Second pass: writes every token, taking container counts from <paramref name="slots"/>.</summary>
    private static void WriteValues(ReadOnlySpan<byte> json, JsonReaderOptions options, IReadOnlyList<ReadOnlyMemory<byte>> attachments, MsgPackWriter writer, ReadOnlySpan<int> slots)
    {
        int slot = 0;
        Utf8JsonReader reader = new(json, options);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    int entry = slots[slot++];
                    if (entry >= 0)
                    {
                        writer.WriteMapHeader(entry);
                        break;
                    }

                    writer.WriteBinary(attachments[~entry].Span);

                    // Skip the placeholder's own tokens, keeping the slot index in step with any
                    // containers nested inside it (counted by the first pass too).
                    int placeholderDepth = reader.CurrentDepth;
                    while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == placeholderDepth))
                    {
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            slot++;
                        }
                    }

                    break;
                case JsonTokenType.StartArray:
                    writer.WriteArrayHeader(slots[slot++]);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    break;
                case JsonTokenType.PropertyName:
                case JsonTokenType.String:
                    WriteString(ref reader, writer);
                    break;
                case JsonTokenType.Number:
                    WriteNumber(ref reader, writer);
                    break;
                case JsonTokenType.True:
                    writer.WriteBoolean(true);
                    break;
                case JsonTokenType.False:
                    writer.WriteBoolean(false);
                    break;
                case JsonTokenType.Null:
                    writer.WriteNil();
                    break;
                default:
                    throw new JsonException($"unexpected JSON token {reader.TokenType}");
            }
        }
    }

    private static void WriteString(ref Utf8JsonReader reader, MsgPackWriter writer)
    {
        if (!reader.ValueIsEscaped)
        {
            writer.WriteString(reader.ValueSpan);
            return;
        }

        // Unescaping never makes a string longer than its escaped form.
        int maxLength = reader.ValueSpan.Length;
        byte[]? rented = null;
        Span<byte> buffer = maxLength <= StackallocStringBytes
            ? stackalloc byte[StackallocStringBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            int length = reader.CopyString(buffer);
            writer.WriteString(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void WriteNumber(ref Utf8JsonReader reader, MsgPackWriter writer)
    {
        if (reader.TryGetInt64(out long signed))
        {
            writer.WriteInt64(signed);
            return;
        }

        if (reader.TryGetUInt64(out ulong unsigned))
        {
            writer.WriteUInt64(unsigned);
            return;
        }

        // A fraction, an exponent, or an integer literal beyond uint64. JSON.parse would give
        // Infinity for a literal beyond the double range; keep that rather than fail.
        if (!reader.TryGetDouble(out double value))
        {
            value = reader.ValueSpan[0] == (byte)'-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        WriteDouble(writer, value);
    }

    /// <summary>notepack's rule: integral finite numbers as ints, others as float 64.</summary>
    private static void WriteDouble(MsgPackWriter writer, double value)
    {
        if (double.IsFinite(value) && Math.Floor(value) == value)
        {
            // 2^63 and 2^64 are exact doubles, so these bounds are exact too.
            if (value >= -9_223_372_036_854_775_808.0 && value < 9_223_372_036_854_775_808.0)
            {
                writer.WriteInt64((long)value);
                return;
            }

            if (value >= 0 && value < 18_446_744_073_709_551_616.0)
            {
                writer.WriteUInt64((ulong)value);
                return;
            }
        }

        writer.WriteFloat64(value);
    }

    private static void Grow(ref int[] slots)
    {
        int[] larger = ArrayPool<int>.Shared.Rent(slots.Length * 2);
        slots.CopyTo(larger, 0);
        ArrayPool<int>.Shared.Return(slots);
        slots = larger;
    }

    private enum PendingProperty : byte
    {
        None,
        Placeholder,
        Num,
        Other,
    }

    /// <summary>First-pass state of one open array or object.</summary>
    private struct Frame
    {
        public int Slot;
        public int Count;
        public int Num;
        public bool IsObject;
        public bool PlaceholderTrue;
        public bool HasNum;
        public PendingProperty Pending;
    }
}
