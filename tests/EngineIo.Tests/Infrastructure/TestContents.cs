using System.Net;

namespace EngineIo.Tests.Infrastructure;

/// <summary>A request body of unknown length, so HttpClient sends it with chunked transfer encoding.</summary>
internal sealed class ChunkedContent(byte[] data) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // Two writes, so the engine sees the body arrive in pieces.
        var half = data.Length / 2;
        await stream.WriteAsync(data.AsMemory(0, half));
        await stream.FlushAsync();
        await stream.WriteAsync(data.AsMemory(half));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
