using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace SocketIo.Internal.Protocol.MsgPack;

/// <summary>
/// Converts one msgpack value, as a notepack.io client produced it, into UTF-8 JSON plus binary
/// attachments: the JSON a Socket.IO JSON-parser client would have sent for the same JavaScript value,
/// with every binary replaced by a placeholder <c>{"_placeholder":true,"num":N}</c>.
/// </summary>
/// <remarks>
/// <para>Mapping (JavaScript semantics, since the peer is a JavaScript value encoded by notepack):</para>
/// <list type="bullet">
/// <item>nil → <c>null</c>; bool, str → themselves.</item>
/// <item>Integers stay integers, written exactly (also beyond 2^53, where JavaScript would round).</item>
/// <item>float 32/64 → a JSON number (float 32 widened exactly); NaN and ±Infinity → <c>null</c> and -0 → <c>0</c>, as <c>JSON.stringify</c> does.</item>
/// <item>bin, and ext 8/16/32 of type 0 (notepack's ArrayBuffer) → placeholder; the bytes are copied into a new attachment.</item>
/// <item>fixext 8 type 0 (notepack's Date) → the <c>toISOString()</c> string, or <c>null</c> for an invalid time, as <c>JSON.stringify</c> does.</item>
/// <item>fixext 1 type 0 (notepack's undefined) → <c>null</c> in an array or at the top, and a map entry with that value is left out, as <c>JSON.stringify</c> does.</item>
/// <item>Any other ext → <c>[type, placeholder]</c>, the <c>[type, Buffer]</c> array notepack decodes it to.</item>
/// <item>Map keys become strings as JavaScript property keys do: str as is, integers in decimal,
/// floats as <c>Number.prototype.toString</c>, nil/true/false/undefined as <c>"null"</c>/<c>"true"</c>/<c>"false"</c>/<c>"undefined"</c>.
/// Keys that are arrays, maps, bin or ext are rejected: JavaScript would turn them into strings such as
/// <c>"[object Object]"</c>, which no client means to send. Duplicate keys are kept as they come, in order;
/// a JSON reader sees them as JSON text with duplicate names (JavaScript keeps the last).</item>
/// </list>
/// <para>Nesting is counted the way a JSON reader counts it (a placeholder object is one level, an
/// ext's <c>[type, placeholder]</c> two), so the JSON produced never exceeds the given depth. The walk is
/// iterative: hostile nesting costs no stack.</para>
/// </remarks>
internal static class MsgPackToJson
{
    /// <summary>
    /// The longest str that is converted. <see cref="Utf8JsonWriter"/> throws beyond 1,000,000,000 / 6
    /// bytes per token (room for escaping), so a longer one is reported as an error instead.
    /// </summary>
    public const int MaxStringBytes = 166_666_666;

    /// <summary>Depth up to which the per-level counters live on the stack.</summary>
    private const int StackallocDepth = 128;

    /// <summary>High bit of a level's counter: set for a map, clear for an array.</summary>
    private const uint MapFlag = 0x8000_0000;

    private const int ScratchLength = 32;

    private static readonly JsonEncodedText PlaceholderName = JsonEncodedText.Encode("_placeholder");
    private static readonly JsonEncodedText NumName = JsonEncodedText.Encode("num");

    /// <summary>
    /// Reads one complete value from <paramref name="reader"/> and writes it to <paramref name="json"/>.
    /// Binaries are appended to <paramref name="attachments"/> (created on first use), numbered from its current count.
    /// </summary>
    /// <param name="reader">Positioned at the value; left after it on success.</param>
    /// <param name="json">Where the JSON goes.</param>
    /// <param name="attachments">Receives the binaries, in the order they appear.</param>
    /// <param name="maxDepth">The deepest JSON nesting allowed (the outermost array or object is depth 1).</param>
    /// <param name="maxAttachments">The most entries <paramref name="attachments"/> may hold.</param>
    /// <param name="error">Why the input was refused.</param>
    /// <param name="timestampsAsDates">
    /// Whether the msgpack timestamp extension (type -1) is a Date, as notepack.io 3 (the cluster adapters' codec)
    /// writes Dates; notepack.io 2.2 under the npm <c>socket.io-msgpack-parser</c> hands it over as <c>[-1, Buffer]</c>.
    /// </param>
    /// <returns><see langword="false"/> with an <paramref name="error"/> on malformed or unsupported input; never throws for it.</returns>
    public static bool TryConvert(
        ref MsgPackReader reader,
        Utf8JsonWriter json,
        ref List<ReadOnlyMemory<byte>>? attachments,
        int maxDepth,
        int maxAttachments,
        [NotNullWhen(false)] out string? error,
        bool timestampsAsDates = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);

        // Per open array/map: elements (or pairs) still to convert, with MapFlag for maps.
        Span<uint> levels = maxDepth <= StackallocDepth ? stackalloc uint[StackallocDepth] : new uint[maxDepth];
        Span<byte> scratch = stackalloc byte[ScratchLength];
        int depth = 0;
        while (true)
        {
            MsgPackToken token;
            if (depth == 0)
            {
                if (!reader.TryRead(out token))
                {
                    error = reader.DescribeError();
                    return false;
                }
            }
            else
            {
                uint level = levels[depth - 1];
                if ((level & ~MapFlag) == 0)
                {
                    if ((level & MapFlag) != 0)
                    {
                        json.WriteEndObject();
                    }
                    else
                    {
                        json.WriteEndArray();
                    }

                    if (--depth == 0)
                    {
                        error = null;
                        return true;
                    }

                    continue;
                }

                levels[depth - 1] = level - 1;
                if ((level & MapFlag) == 0)
                {
                    if (!reader.TryRead(out token))
                    {
                        error = reader.DescribeError();
                        return false;
                    }
                }
                else
                {
                    int keyOffset = reader.Position;
                    if (!reader.TryRead(out MsgPackToken key))
                    {
                        error = reader.DescribeError();
                        return false;
                    }

                    if (!TryGetPropertyName(key, scratch, out ReadOnlySpan<byte> name))
                    {
                        error = $"unsupported msgpack map key at offset {keyOffset} (only str, numbers, nil, bool and undefined keys are accepted)";
                        return false;
                    }

                    if (!reader.TryRead(out token))
                    {
                        error = reader.DescribeError();
                        return false;
                    }

                    // JSON.stringify leaves out properties whose value is undefined.
                    if (NotepackConventions.IsUndefined(token))
                    {
                        continue;
                    }

                    json.WritePropertyName(name);
                }
            }

            if (token.Kind is MsgPackTokenKind.Array or MsgPackTokenKind.Map)
            {
                if (depth >= maxDepth)
                {
                    error = $"msgpack value nested deeper than {maxDepth} levels";
                    return false;
                }

                if (token.Kind == MsgPackTokenKind.Map)
                {
                    json.WriteStartObject();
                    levels[depth++] = (uint)token.Count | MapFlag;
                }
                else
                {
                    json.WriteStartArray();
                    levels[depth++] = (uint)token.Count;
                }

                continue;
            }

            if (!TryWriteScalar(token, json, ref attachments, depth, maxDepth, maxAttachments, scratch, timestampsAsDates, out error))
            {
                return false;
            }

            if (depth == 0)
            {
                return true;
            }
        }
    }

    private static bool TryWriteScalar(
        in MsgPackToken token,
        Utf8JsonWriter json,
        ref List<ReadOnlyMemory<byte>>? attachments,
        int depth,
        int maxDepth,
        int maxAttachments,
        Span<byte> scratch,
        bool timestampsAsDates,
        [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (token.Kind)
        {
            case MsgPackTokenKind.Nil:
                json.WriteNullValue();
                return true;
            case MsgPackTokenKind.Boolean:
                json.WriteBooleanValue(token.Boolean);
                return true;
            case MsgPackTokenKind.Integer:
                if (token.TryGetInt64(out long signed))
                {
                    json.WriteNumberValue(signed);
                }
                else
                {
                    token.TryGetUInt64(out ulong unsigned);
                    json.WriteNumberValue(unsigned);
                }

                return true;
            case MsgPackTokenKind.Float:
                WriteJsNumber(json, token.Double);
                return true;
            case MsgPackTokenKind.String:
                if (token.Bytes.Length > MaxStringBytes)
                {
                    error = $"msgpack string longer than {MaxStringBytes} bytes";
                    return false;
                }

                json.WriteStringValue(token.Bytes);
                return true;
            case MsgPackTokenKind.Binary:
                return TryWritePlaceholder(token.Bytes, json, ref attachments, depth + 1, maxDepth, maxAttachments, out error);
            case MsgPackTokenKind.Extension:
                if (NotepackConventions.IsUndefined(token))
                {
                    // undefined inside an array (or as the whole value) serializes as null.
                    json.WriteNullValue();
                    return true;
                }

                long timestamp = 0;
                bool isTimestamp = timestampsAsDates && NotepackConventions.TryGetTimestamp(token, out timestamp);
                if (isTimestamp || NotepackConventions.IsDate(token))
                {
                    long time = isTimestamp ? timestamp : BinaryPrimitives.ReadInt64BigEndian(token.Bytes);
                    if (JsDate.TryFormatIso(time, scratch, out int length))
                    {
                        json.WriteStringValue(scratch[..length]);
                    }
                    else
                    {
                        json.WriteNullValue();
                    }

                    return true;
                }

                if (NotepackConventions.IsArrayBuffer(token))
                {
                    return TryWritePlaceholder(token.Bytes, json, ref attachments, depth + 1, maxDepth, maxAttachments, out error);
                }

                // notepack hands every other extension to the application as [type, Buffer].
                if (depth + 2 > maxDepth)
                {
                    error = $"msgpack value nested deeper than {maxDepth} levels";
                    return false;
                }

                json.WriteStartArray();
                json.WriteNumberValue(token.ExtensionType);
                if (!TryWritePlaceholder(token.Bytes, json, ref attachments, depth + 2, maxDepth, maxAttachments, out error))
                {
                    return false;
                }

                json.WriteEndArray();
                return true;
            default:
                error = "unexpected msgpack token";
                return false;
        }
    }

    private static bool TryWritePlaceholder(
        ReadOnlySpan<byte> bytes,
        Utf8JsonWriter json,
        ref List<ReadOnlyMemory<byte>>? attachments,
        int placeholderDepth,
        int maxDepth,
        int maxAttachments,
        [NotNullWhen(false)] out string? error)
    {
        if (placeholderDepth > maxDepth)
        {
            error = $"msgpack value nested deeper than {maxDepth} levels";
            return false;
        }

        attachments ??= [];
        if (attachments.Count >= maxAttachments)
        {
            error = $"more than {maxAttachments} binary values";
            return false;
        }

        // A copy: the input is usually a pooled transport buffer that outlives this call only briefly.
        int num = attachments.Count;
        attachments.Add(bytes.ToArray());
        json.WriteStartObject();
        json.WriteBoolean(PlaceholderName, true);
        json.WriteNumber(NumName, num);
        json.WriteEndObject();
        error = null;
        return true;
    }

    /// <summary>Writes a float the way JSON.stringify writes the JavaScript number.</summary>
    private static void WriteJsNumber(Utf8JsonWriter json, double value)
    {
        if (!double.IsFinite(value))
        {
            json.WriteNullValue();
        }
        else if (value == 0)
        {
            // Also turns -0 into 0.
            json.WriteNumberValue(0);
        }
        else
        {
            json.WriteNumberValue(value);
        }
    }

    /// <summary>The property name JavaScript would give an object key decoded from <paramref name="key"/>.</summary>
    private static bool TryGetPropertyName(in MsgPackToken key, Span<byte> scratch, out ReadOnlySpan<byte> name)
    {
        int length;
        switch (key.Kind)
        {
            case MsgPackTokenKind.String:
                name = key.Bytes;
                return key.Bytes.Length <= MaxStringBytes;
            case MsgPackTokenKind.Integer:
                bool formatted;
                if (key.TryGetInt64(out long signed))
                {
                    formatted = signed.TryFormat(scratch, out length, default, CultureInfo.InvariantCulture);
                }
                else
                {
                    key.TryGetUInt64(out ulong unsigned);
                    formatted = unsigned.TryFormat(scratch, out length, default, CultureInfo.InvariantCulture);
                }

                name = scratch[..length];
                return formatted;
            case MsgPackTokenKind.Float:
                bool ok = JsNumber.TryFormat(key.Double, scratch, out length);
                name = scratch[..length];
                return ok;
            case MsgPackTokenKind.Nil:
                name = "null"u8;
                return true;
            case MsgPackTokenKind.Boolean:
                name = key.Boolean ? "true"u8 : "false"u8;
                return true;
            case MsgPackTokenKind.Extension when NotepackConventions.IsUndefined(key):
                name = "undefined"u8;
                return true;
            default:
                name = default;
                return false;
        }
    }
}
