using MarketplaceEvents.Domain;
using MarketplaceEvents.Limits;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// What the service keeps per socket (in <c>SocketIoSocket.Data</c>): who it is once authenticated, its event rate
/// limiter, the gate that runs its events one at a time in arrival order, and its timers.
/// </summary>
internal sealed class ConnectionState(SlidingWindowLimiter eventLimiter)
{
    private readonly object _sync = new();
    private UserIdentity? _user;
    private ITimer? _authTimer;
    private ITimer? _expiryTimer;
    private DateTimeOffset? _lastPongAt;

    /// <summary>The user a token proved in the handshake, not yet registered (set by the connection gate).</summary>
    public UserIdentity? HandshakeUser { get; set; }

    /// <summary>The authenticated user, or null while the socket still has to send <c>auth</c>.</summary>
    public UserIdentity? User
    {
        get
        {
            lock (_sync) return _user;
        }
    }

    public bool IsAuthenticated => User is not null;

    public SlidingWindowLimiter EventLimiter { get; } = eventLimiter;

    /// <summary>
    /// Runs the socket's events one at a time: the library starts each event's handler in arrival order without
    /// waiting for the previous one, and a client expects its messages stored in the order it sent them.
    /// </summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>When the last <c>pong</c> came in.</summary>
    public DateTimeOffset? LastPongAt
    {
        get
        {
            lock (_sync) return _lastPongAt;
        }
        set
        {
            lock (_sync) _lastPongAt = value;
        }
    }

    public void SetUser(UserIdentity user)
    {
        lock (_sync) _user = user;
    }

    /// <summary>Replaces the timer that ends an unauthenticated socket.</summary>
    public void SetAuthTimer(ITimer? timer)
    {
        ITimer? previous;
        lock (_sync) (previous, _authTimer) = (_authTimer, timer);
        previous?.Dispose();
    }

    /// <summary>Replaces the timer that ends the session when the token expires.</summary>
    public void SetExpiryTimer(ITimer? timer)
    {
        ITimer? previous;
        lock (_sync) (previous, _expiryTimer) = (_expiryTimer, timer);
        previous?.Dispose();
    }

    public void StopTimers()
    {
        SetAuthTimer(null);
        SetExpiryTimer(null);
    }
}
