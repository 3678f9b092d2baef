using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace EngineIo.Internal.Direct;

/// <summary>
/// The head of an HTTP/1.1 request that opens an Engine.IO WebSocket session, read straight off a connection (see
/// <see cref="DirectWebSocketMiddleware"/>). The reader is deliberately narrow: it recognises only a well-formed
/// <c>GET</c> WebSocket handshake on the engine's path, with nothing it would have to interpret loosely. Anything else,
/// malformed or merely unusual, is reported as <see cref="HeadVerdict.NotOurs"/> and left for Kestrel's own HTTP
/// parser, which answers it (or refuses it) as it would have without us.
/// </summary>
internal sealed class UpgradeRequestHead
{
    /// <summary>Longer heads are left to Kestrel, whose limits then apply.</summary>
    public const int MaxHeadLength = 8 * 1024;

    private UpgradeRequestHead(string path, string queryString, KeyValuePair<string, StringValues>[] headers, string host, string key)
    {
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Host = host;
        WebSocketKey = key;
    }

    public string Path { get; }

    /// <summary>The query string with its leading '?', or empty.</summary>
    public string QueryString { get; }

    /// <summary>The headers, a name given twice kept once with both values.</summary>
    public KeyValuePair<string, StringValues>[] Headers { get; }

    public string Host { get; }

    public string WebSocketKey { get; }

    /// <summary>Whether the client offered a WebSocket extension (such as permessage-deflate).</summary>
    public bool OffersExtensions => Find("Sec-WebSocket-Extensions") is { Count: > 0 };

    public StringValues Find(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)) return header.Value;
        }
        return StringValues.Empty;
    }

    /// <summary>
    /// Looks for a complete head at the start of <paramref name="buffer"/>. <paramref name="headEnd"/> is the position
    /// just past the blank line that ends it, when the verdict is <see cref="HeadVerdict.Ours"/>.
    /// </summary>
    public static HeadVerdict TryRead(ReadOnlySequence<byte> buffer, string enginePath, out UpgradeRequestHead? head, out SequencePosition headEnd)
    {
        head = null;
        headEnd = buffer.Start;

        // A first byte other than 'G' settles it at once (HTTP/2's preface, TLS, another method).
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first)) return HeadVerdict.Incomplete;
        if (first != (byte)'G') return HeadVerdict.NotOurs;

        if (!reader.TryReadTo(out ReadOnlySequence<byte> raw, "\r\n\r\n"u8, advancePastDelimiter: true))
            return buffer.Length > MaxHeadLength ? HeadVerdict.NotOurs : HeadVerdict.Incomplete;
        if (raw.Length > MaxHeadLength) return HeadVerdict.NotOurs;

        Span<byte> copy = stackalloc byte[(int)raw.Length];
        raw.CopyTo(copy);
        head = Parse(copy, enginePath);
        if (head is null) return HeadVerdict.NotOurs;
        headEnd = reader.Position;
        return HeadVerdict.Ours;
    }

    private static UpgradeRequestHead? Parse(ReadOnlySpan<byte> text, string enginePath)
    {
        var lineEnd = text.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? text : text[..lineEnd];
        if (!requestLine.StartsWith("GET "u8) || !requestLine.EndsWith(" HTTP/1.1"u8)) return null;
        var target = requestLine["GET ".Length..^" HTTP/1.1".Length];
        if (target.IsEmpty || target[0] != (byte)'/' || !IsVisibleAscii(target)) return null;

        var question = target.IndexOf((byte)'?');
        var pathBytes = question < 0 ? target : target[..question];
        // An encoded path would need the decoding routing does: not ours to guess. (Dot segments need no check: the
        // path must equal the engine's, which has none.)
        if (pathBytes.IndexOf((byte)'%') >= 0) return null;
        var path = HandshakeStrings.FromLatin1(pathBytes);
        if (!IsEnginePath(path, enginePath)) return null;
        var query = question < 0 ? string.Empty : HandshakeStrings.FromLatin1(target[question..]);

        var headers = new List<KeyValuePair<string, StringValues>>(12);
        var rest = lineEnd < 0 ? [] : text[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            if (!TryReadHeader(line, headers)) return null;
        }

        var found = new UpgradeRequestHead(path, query, [.. headers], string.Empty, string.Empty);
        var host = found.Find("Host");
        var key = found.Find("Sec-WebSocket-Key");
        if (host.Count != 1 || key.Count != 1) return null;
        if (!string.Equals(found.Find("Upgrade").ToString(), "websocket", StringComparison.OrdinalIgnoreCase)) return null;
        if (!HasToken(found.Find("Connection"), "upgrade")) return null;
        if (found.Find("Sec-WebSocket-Version").ToString() != "13") return null;
        if (found.Find("Transfer-Encoding").Count > 0) return null;
        if (found.Find("Content-Length") is { Count: > 0 } length && length.ToString() != "0") return null;
        if (!IsWebSocketKey(key.ToString())) return null;
        return new UpgradeRequestHead(path, query, found.Headers, host.ToString(), key.ToString());
    }

    private static bool IsEnginePath(string path, string enginePath) =>
        string.Equals(path, enginePath, StringComparison.OrdinalIgnoreCase)
        || (path.Length == enginePath.Length + 1 && path[^1] == '/' && path.StartsWith(enginePath, StringComparison.OrdinalIgnoreCase));

    private static bool TryReadHeader(ReadOnlySpan<byte> line, List<KeyValuePair<string, StringValues>> headers)
    {
        var colon = line.IndexOf((byte)':');
        // No name, whitespace before the colon, or a folded line: all things Kestrel refuses or rules on itself.
        if (colon <= 0) return false;
        var nameBytes = line[..colon];
        foreach (var b in nameBytes)
        {
            if (!IsTokenChar(b)) return false;
        }
        var valueBytes = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in valueBytes)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F) return false;
        }

        // Shared instances (HandshakeStrings): the session keeps these for its life. Header values are Latin-1 on the
        // wire, as Kestrel reads them by default.
        var name = HandshakeStrings.FromLatin1(nameBytes);
        var value = HandshakeStrings.IsShareable(name) ? HandshakeStrings.FromLatin1(valueBytes) : Encoding.Latin1.GetString(valueBytes);
        for (var i = 0; i < headers.Count; i++)
        {
            if (!string.Equals(headers[i].Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            headers[i] = new(headers[i].Key, StringValues.Concat(headers[i].Value, value));
            return true;
        }
        headers.Add(new(name, value));
        return true;
    }

    private static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                if (string.Equals(part.Trim(), token, StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }

    // RFC 6455: the base64 of 16 random bytes.
    private static bool IsWebSocketKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is <= 0x20 or >= 0x7F) return false;
        }
        return true;
    }

    private static bool IsTokenChar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
        || "!#$%&'*+-.^_`|~"u8.Contains(b);
}

/// <summary>What <see cref="UpgradeRequestHead.TryRead"/> made of the bytes so far.</summary>
internal enum HeadVerdict
{
    /// <summary>More bytes are needed to decide.</summary>
    Incomplete,

    /// <summary>An Engine.IO WebSocket handshake this server takes itself.</summary>
    Ours,

    /// <summary>Anything else: Kestrel's HTTP stack gets the connection, bytes untouched.</summary>
    NotOurs,
}
