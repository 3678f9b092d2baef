using Microsoft.AspNetCore.Http;

namespace EngineIo.Internal;

/// <summary>The Engine.IO query of one HTTP request, parsed once.</summary>
internal readonly record struct EngineRequest(
    int? Protocol,
    EngineIoTransports Transport,
    string? Sid,
    bool IsWebSocketUpgrade,
    bool Base64Only)
{
    /// <summary>
    /// Reads the four parameters the engine cares about straight from the query string. <c>HttpRequest.Query</c> would
    /// build a dictionary of every parameter for every poll, and keep it alive for as long as an upgraded WebSocket
    /// request lasts; this reads in place and allocates only the sid.
    /// </summary>
    public static EngineRequest Parse(HttpContext context) =>
        Parse(context.Request.QueryString.Value, context.WebSockets.IsWebSocketRequest);

    /// <summary>Reads a raw query string (with or without its leading '?').</summary>
    public static EngineRequest Parse(ReadOnlySpan<char> query, bool isWebSocketUpgrade)
    {
        if (query.StartsWith('?')) query = query[1..];

        QueryValue eio = default, transport = default, sid = default;
        var base64Only = false;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? [] : pair[(equals + 1)..];
            switch (name)
            {
                case "EIO": eio.Add(value); break;
                case "transport": transport.Add(value); break;
                case "sid": sid.Add(value); break;
                case "b64": base64Only = true; break;
            }
        }

        int? protocol = eio.Is("4") ? 4 : eio.Is("3") ? 3 : null;
        // Only the exact names count: "__proto__" or "Polling" are unknown transports, never a lookup.
        var kind = transport.Is("polling") ? EngineIoTransports.Polling
            : transport.Is("websocket") ? EngineIoTransports.WebSocket
            : EngineIoTransports.None;
        return new EngineRequest(protocol, kind, sid.ToStringOrNull(), isWebSocketUpgrade, base64Only);
    }

    /// <summary>
    /// One parameter's raw value. A parameter given twice reads as its values joined by commas, as
    /// <c>HttpRequest.Query</c> would give it; such a value never equals a transport name or a protocol number.
    /// </summary>
    private ref struct QueryValue
    {
        private ReadOnlySpan<char> _first;
        private string? _joined;
        private int _count;

        public void Add(ReadOnlySpan<char> raw)
        {
            _count++;
            if (_count == 1) _first = raw;
            else _joined = (_joined ?? Decode(_first)) + "," + Decode(raw);
        }

        public readonly bool Is(string expected) => _count == 1
            ? (NeedsDecoding(_first) ? Decode(_first) == expected : _first.SequenceEqual(expected))
            : _joined == expected;

        public readonly string? ToStringOrNull()
        {
            var value = _count switch
            {
                0 => null,
                1 => Decode(_first),
                _ => _joined,
            };
            return string.IsNullOrEmpty(value) ? null : value;
        }

        private static bool NeedsDecoding(ReadOnlySpan<char> raw) => raw.ContainsAny('%', '+');

        // '+' is a space in a query, as HttpRequest.Query reads it.
        private static string Decode(ReadOnlySpan<char> raw) =>
            NeedsDecoding(raw) ? Uri.UnescapeDataString(raw.ToString().Replace('+', ' ')) : raw.ToString();
    }
}
