using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EngineIo.Tests.Infrastructure;

/// <summary>
/// Middleware that records, in the order the server does them, when each response body write starts and when it
/// has completed (<c>"POST ok written"</c>, <c>"GET 4reply writing"</c>): the server-side order of two responses,
/// which a client on two connections cannot see reliably.
/// </summary>
internal sealed class ResponseWriteRecorder
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _awaited = new(StringComparer.Ordinal);

    /// <summary>Everything recorded so far, oldest first.</summary>
    public IReadOnlyCollection<string> Events => _events.ToArray();

    public void Install(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.Body = new RecordingStream(context.Response.Body, context.Request.Method, this);
        await next(context);
    });

    /// <summary>Completes when <paramref name="recordedEvent"/> has been recorded.</summary>
    public Task WhenRecorded(string recordedEvent) => Awaited(recordedEvent).Task;

    private TaskCompletionSource Awaited(string recordedEvent) =>
        _awaited.GetOrAdd(recordedEvent, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Record(string recordedEvent)
    {
        _events.Enqueue(recordedEvent);
        Awaited(recordedEvent).TrySetResult();
    }

    private sealed class RecordingStream(Stream inner, string method, ResponseWriteRecorder recorder) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var body = Encoding.UTF8.GetString(buffer.Span);
            recorder.Record($"{method} {body} writing");
            await inner.WriteAsync(buffer, cancellationToken);
            recorder.Record($"{method} {body} written");
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
