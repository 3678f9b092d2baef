using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using EngineIo;

namespace FixtureServer;

/// <summary>
/// Wraps the echo handler with a few text commands, for interop tests that need the server to act or to report what
/// it saw — things a client cannot observe on its own. Any other message goes to the inner handler unchanged.
/// <list type="bullet">
/// <item><c>__close__</c>: the server closes this session (<see cref="EngineSession.Close"/>).</item>
/// <item><c>__session__:SID</c>: answers with the server's view of session SID, as JSON:
/// <c>{"sid":…,"state":"open","transport":"websocket"}</c>,
/// <c>{"sid":…,"state":"closed","reason":"PingTimeout","description":"ping timeout"}</c> or
/// <c>{"sid":…,"state":"unknown"}</c>.</item>
/// </list>
/// </summary>
internal sealed class ControlHandler(IEngineIoHandler inner) : IEngineIoHandler
{
    private static ReadOnlySpan<byte> CloseCommand => "__close__"u8;

    private static ReadOnlySpan<byte> SessionCommand => "__session__:"u8;

    private readonly ConcurrentDictionary<string, EngineSession> _open = new(StringComparer.Ordinal);

    // Kept for the life of the process: a fixture serves a few hundred sessions at most.
    private readonly ConcurrentDictionary<string, (EngineCloseReason Reason, string? Description)> _closed = new(StringComparer.Ordinal);

    public void OnOpened(EngineSession session)
    {
        _open[session.Id] = session;
        inner.OnOpened(session);
    }

    public ValueTask OnTextMessageAsync(EngineSession session, ReadOnlyMemory<byte> utf8)
    {
        var span = utf8.Span;
        if (span.SequenceEqual(CloseCommand))
        {
            session.Close();
            return ValueTask.CompletedTask;
        }
        if (span.StartsWith(SessionCommand))
        {
            var sid = Encoding.UTF8.GetString(span[SessionCommand.Length..]);
            session.Send(EngineMessage.Text(DescribeSession(sid)));
            return ValueTask.CompletedTask;
        }
        return inner.OnTextMessageAsync(session, utf8);
    }

    public ValueTask OnBinaryMessageAsync(EngineSession session, ReadOnlyMemory<byte> data) => inner.OnBinaryMessageAsync(session, data);

    public void OnClosed(EngineSession session, EngineCloseReason reason, string? description)
    {
        _closed[session.Id] = (reason, description);
        _open.TryRemove(session.Id, out _);
        inner.OnClosed(session, reason, description);
    }

    private string DescribeSession(string sid)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("sid", sid);
            // Closed is checked first: OnClosed records the reason before it removes the open entry.
            if (_closed.TryGetValue(sid, out var closed))
            {
                json.WriteString("state", "closed");
                json.WriteString("reason", closed.Reason.ToString());
                json.WriteString("description", closed.Description);
            }
            else if (_open.TryGetValue(sid, out var session))
            {
                json.WriteString("state", "open");
                json.WriteString("transport", session.TransportName);
            }
            else
            {
                json.WriteString("state", "unknown");
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
