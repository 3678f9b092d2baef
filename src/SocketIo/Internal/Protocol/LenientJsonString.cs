using System.Buffers.Text;
using System.Text;

namespace SocketIo.Internal.Protocol;

/// <summary>
/// Unescapes a JSON string token the way JavaScript does: an escaped UTF-16 surrogate without its pair
/// (<c>"\ud800"</c>) becomes that lone code unit, where <see cref="System.Text.Json.Utf8JsonReader.GetString"/>
/// throws. Only used on that rare path: an event name the reference server would take as an ordinary string.
/// </summary>
internal static class LenientJsonString
{
    /// <summary>Decodes the raw bytes between the quotes of a well-formed JSON string token.</summary>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            var escape = raw.IndexOf((byte)'\\');
            var plain = escape < 0 ? raw : raw[..escape];
            if (!plain.IsEmpty) text.Append(Encoding.UTF8.GetString(plain));
            if (escape < 0) break;
            // The reader already checked the token: every escape is complete and valid.
            var kind = raw[escape + 1];
            raw = raw[(escape + 2)..];
            switch (kind)
            {
                case (byte)'b': text.Append('\b'); break;
                case (byte)'f': text.Append('\f'); break;
                case (byte)'n': text.Append('\n'); break;
                case (byte)'r': text.Append('\r'); break;
                case (byte)'t': text.Append('\t'); break;
                case (byte)'u':
                    Utf8Parser.TryParse(raw[..4], out ushort unit, out _, 'x');
                    text.Append((char)unit);
                    raw = raw[4..];
                    break;
                default: text.Append((char)kind); break;
            }
        }
        return text.ToString();
    }
}
