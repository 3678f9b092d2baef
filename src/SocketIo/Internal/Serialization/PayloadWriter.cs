using System.Buffers;
using System.Text.Json;

namespace SocketIo.Internal.Serialization;

/// <summary>
/// What serializing one packet payload needs: a growable buffer from the array pool, a JSON writer over it and the
/// list the payload's attachments go to. One is kept per thread and reused by every payload serialized on it, so
/// that serializing an event or an ack allocates nothing but the bytes it produces. A serialization that starts
/// while another is under way on the same thread (a custom serializer that emits) gets a fresh one.
/// </summary>
internal sealed class PayloadWriter : IBufferWriter<byte>
{
    private const int InitialCapacity = 256;
    // A buffer that grew this large for one big payload goes back to the pool rather than stay with the thread.
    private const int MaxRetainedCapacity = 16 * 1024;

    [ThreadStatic] private static PayloadWriter? t_cached;

    private readonly List<ReadOnlyMemory<byte>> _attachments = [];
    private byte[] _buffer = [];
    private int _written;
    private Utf8JsonWriter? _writer;
    // The options _writer was made with (a process normally has one server, so one set of options).
    private object? _writerOwner;

    private PayloadWriter()
    {
    }

    /// <summary>The JSON writer, ready to write at the start of the buffer.</summary>
    public Utf8JsonWriter Json => _writer!;

    /// <summary>The attachments of the payload being written (see <see cref="AttachmentScope.BeginOutgoing"/>).</summary>
    public List<ReadOnlyMemory<byte>> Attachments => _attachments;

    /// <summary>The bytes written so far (call after flushing <see cref="Json"/>); valid until <see cref="Return"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>
    /// Takes this thread's writer, or a new one if it is in use. <paramref name="owner"/> identifies
    /// <paramref name="options"/>: the JSON writer is made again only when another owner's options are asked for.
    /// </summary>
    public static PayloadWriter Rent(object owner, JsonWriterOptions options)
    {
        var writer = t_cached ?? new PayloadWriter();
        t_cached = null;
        if (writer._buffer.Length == 0) writer._buffer = ArrayPool<byte>.Shared.Rent(InitialCapacity);
        if (writer._writer is null || !ReferenceEquals(writer._writerOwner, owner))
        {
            writer._writer = new Utf8JsonWriter(writer, options);
            writer._writerOwner = owner;
        }
        else
        {
            writer._writer.Reset(writer);
        }
        return writer;
    }

    /// <summary>The attachments as a list of their own (the shared empty one when there are none).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> CopyAttachments(IReadOnlyList<ReadOnlyMemory<byte>> none) =>
        _attachments.Count == 0 ? none : _attachments.ToArray();

    /// <summary>Clears the writer and keeps it for the next payload of this thread. Nothing written may be used after.</summary>
    public void Return()
    {
        _written = 0;
        _attachments.Clear();
        if (_buffer.Length > MaxRetainedCapacity)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        t_cached = this;
    }

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
