using System.Buffers.Text;
using System.Net.Sockets;

namespace Bench;

/// <summary>
/// One keep-alive HTTP/1.1 connection with pre-encoded requests and a reused buffer: just enough of the protocol
/// for long-polling (status, Content-Length or chunked bodies). The body returned stays valid until the next request.
/// </summary>
internal sealed class HttpConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[4096];
    private byte[] _chunked = new byte[4096];
    private int _start;
    private int _end;

    public HttpConnection(Socket socket) => _socket = socket;

    public async ValueTask<(int Status, ReadOnlyMemory<byte> Body)> RequestAsync(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body = default)
    {
        await _socket.SendAsync(head, SocketFlags.None);
        if (!body.IsEmpty) await _socket.SendAsync(body, SocketFlags.None);

        int headEnd;
        while ((headEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0) await FillAsync();
        var headers = _buffer.AsMemory(_start, headEnd);
        var status = ParseStatus(headers.Span);
        var bodyStart = _start + headEnd + 4;
        _start = bodyStart;

        if (TryHeaderValue(headers.Span, "content-length:"u8, out var lengthText) && Utf8Parser.TryParse(lengthText, out int contentLength, out _))
        {
            while (_end - _start < contentLength) await FillAsync();
            var result = _buffer.AsMemory(_start, contentLength);
            _start += contentLength;
            return (status, result);
        }

        // Chunked: sizes in hex, each chunk followed by CRLF, ended by a zero-size chunk.
        var written = 0;
        while (true)
        {
            int lineEnd;
            while ((lineEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0) await FillAsync();
            Utf8Parser.TryParse(_buffer.AsSpan(_start, lineEnd), out int size, out _, 'x');
            _start += lineEnd + 2;
            while (_end - _start < size + 2) await FillAsync();
            if (written + size > _chunked.Length) Array.Resize(ref _chunked, Math.Max(_chunked.Length * 2, written + size));
            _buffer.AsSpan(_start, size).CopyTo(_chunked.AsSpan(written));
            written += size;
            _start += size + 2;
            if (size == 0) return (status, _chunked.AsMemory(0, written));
        }
    }

    private async ValueTask FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (read == 0) throw new IOException("connection closed");
        _end += read;
    }

    private static int ParseStatus(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _) ? status : 0;

    private static bool TryHeaderValue(ReadOnlySpan<byte> head, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        while (head.IndexOf("\r\n"u8) is var lineEnd and >= 0)
        {
            head = head[(lineEnd + 2)..];
            var end = head.IndexOf("\r\n"u8);
            var line = end < 0 ? head : head[..end];
            if (line.Length > name.Length && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name))
            {
                value = line[name.Length..].Trim((byte)' ');
                return true;
            }
        }
        return false;
    }

    public void Dispose() => _socket.Dispose();
}
