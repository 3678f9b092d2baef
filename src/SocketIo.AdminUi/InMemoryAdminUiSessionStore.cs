using System.Collections.Concurrent;

namespace SocketIo.AdminUi;

/// <summary>Session ids kept in this process's memory for <see cref="Duration"/> (default 24 hours).</summary>
public sealed class InMemoryAdminUiSessionStore : IAdminUiSessionStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a store.</summary>
    public InMemoryAdminUiSessionStore(TimeSpan? duration = null, TimeProvider? timeProvider = null)
    {
        Duration = duration ?? TimeSpan.FromDays(1);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How long a session id stays valid after the login that created it.</summary>
    public TimeSpan Duration { get; }

    /// <inheritdoc />
    public ValueTask<bool> ExistsAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!_sessions.TryGetValue(sessionId, out var expires)) return ValueTask.FromResult(false);
        if (expires > _time.GetUtcNow()) return ValueTask.FromResult(true);
        _sessions.TryRemove(new KeyValuePair<string, DateTimeOffset>(sessionId, expires));
        return ValueTask.FromResult(false);
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string sessionId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        // Logins are rare: sweeping the expired ones here keeps the store bounded without a timer.
        foreach (var (id, expires) in _sessions)
        {
            if (expires <= now) _sessions.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, expires));
        }
        _sessions[sessionId] = now + Duration;
        return ValueTask.CompletedTask;
    }
}
