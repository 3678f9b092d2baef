using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace EngineIo.Tests.Infrastructure;

/// <summary>A message the handler received, copied out of the engine's buffer.</summary>
internal sealed record ReceivedMessage(bool IsBinary, byte[] Data)
{
    public string Text => Encoding.UTF8.GetString(Data);
}

/// <summary>What happened to one session, as the handler saw it.</summary>
internal sealed class SessionLog
{
    private readonly Channel<ReceivedMessage> _messages = Channel.CreateUnbounded<ReceivedMessage>();
    private readonly TaskCompletionSource<(EngineCloseReason Reason, string? Description)> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<ReceivedMessage> _all = new();
    private int _closeCount;

    public EngineSession? Session { get; set; }

    /// <summary>How many times OnClosed was called for this session (the contract says exactly once).</summary>
    public int CloseCount => Volatile.Read(ref _closeCount);

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Every message received so far.</summary>
    public IReadOnlyCollection<ReceivedMessage> Messages => _all.ToArray();

    public Task<ReceivedMessage> NextMessageAsync() => _messages.Reader.ReadAsync().AsTask().WaitAsync(Limits.Await);

    public async Task<EngineCloseReason> ClosedAsync() => (await _closed.Task.WaitAsync(Limits.Await)).Reason;

    public Task<(EngineCloseReason Reason, string? Description)> ClosedWithDescriptionAsync() => _closed.Task.WaitAsync(Limits.Await);

    internal void Add(ReceivedMessage message)
    {
        _all.Enqueue(message);
        _messages.Writer.TryWrite(message);
    }

    internal void Close(EngineCloseReason reason, string? description)
    {
        Interlocked.Increment(ref _closeCount);
        _closed.TrySetResult((reason, description));
    }
}

/// <summary>
/// An <see cref="IEngineIoHandler"/> that records everything and, unless told otherwise, echoes every message back
/// (text as text, binary as binary), so a test can check that a session still works end to end.
/// </summary>
internal sealed class RecordingHandler : IEngineIoHandler
{
    private readonly Channel<EngineSession> _opened = Channel.CreateUnbounded<EngineSession>();
    private readonly ConcurrentDictionary<string, SessionLog> _logs = new(StringComparer.Ordinal);

    /// <summary>Whether messages are sent back to their sender. Default: true.</summary>
    public bool Echo { get; set; } = true;

    /// <summary>Runs before a message is recorded; lets a test hold the engine inside the handler.</summary>
    public Func<EngineSession, ReceivedMessage, ValueTask>? BeforeMessage { get; set; }

    public int OpenedCount => _logs.Count;

    public IReadOnlyCollection<SessionLog> Logs => _logs.Values.ToArray();

    public SessionLog For(string sid) => _logs.GetOrAdd(sid, _ => new SessionLog());

    public Task<EngineSession> NextOpenedAsync() => _opened.Reader.ReadAsync().AsTask().WaitAsync(Limits.Await);

    public void OnOpened(EngineSession session)
    {
        For(session.Id).Session = session;
        _opened.Writer.TryWrite(session);
    }

    public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8) => OnMessageAsync(session, new ReceivedMessage(false, utf8.ToArray()));

    public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data) => OnMessageAsync(session, new ReceivedMessage(true, data.ToArray()));

    public void OnClosed(EngineSession session, EngineCloseReason reason, string? description) => For(session.Id).Close(reason, description);

    private async ValueTask OnMessageAsync(EngineSession session, ReceivedMessage message)
    {
        if (BeforeMessage is { } before) await before(session, message);
        For(session.Id).Add(message);
        if (Echo) session.Send(message.IsBinary ? EngineMessage.Binary(message.Data) : EngineMessage.Text(message.Data));
    }
}
