namespace MarketplaceEvents.Realtime;

/// <summary>
/// Who is connected: the authenticated connections of each user (for presence and the per-user connection limit),
/// each online user's presence status, and the connection counters of the stats endpoints. Thread-safe.
/// </summary>
internal sealed class ConnectionRegistry
{
    private readonly object _sync = new();
    private readonly Dictionary<string, UserConnections> _users = new(StringComparer.Ordinal);
    private long _totalConnections;
    private int _activeConnections;

    /// <summary>Every socket accepted since start.</summary>
    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>The sockets connected now, authenticated or not yet.</summary>
    public int ActiveConnections => Volatile.Read(ref _activeConnections);

    /// <summary>The users with at least one authenticated connection.</summary>
    public int OnlineUsers
    {
        get
        {
            lock (_sync) return _users.Count;
        }
    }

    public void SocketOpened()
    {
        Interlocked.Increment(ref _totalConnections);
        Interlocked.Increment(ref _activeConnections);
    }

    public void SocketClosed() => Interlocked.Decrement(ref _activeConnections);

    public int ConnectionsOf(string userId)
    {
        lock (_sync) return _users.TryGetValue(userId, out var user) ? user.Sockets.Count : 0;
    }

    public bool IsOnline(string userId)
    {
        lock (_sync) return _users.ContainsKey(userId);
    }

    /// <summary>An online user's status (online or away); null when the user has no authenticated connection.</summary>
    public string? StatusOf(string userId)
    {
        lock (_sync) return _users.TryGetValue(userId, out var user) ? user.Status : null;
    }

    /// <summary>
    /// Adds an authenticated socket of a user, unless the user already holds <paramref name="maxPerUser"/>.
    /// <paramref name="firstConnection"/> tells whether the user just came online.
    /// </summary>
    public bool TryAdd(string userId, string socketId, int maxPerUser, out bool firstConnection)
    {
        lock (_sync)
        {
            firstConnection = !_users.TryGetValue(userId, out var user);
            if (user is null)
            {
                user = new UserConnections();
                _users[userId] = user;
            }
            else if (user.Sockets.Count >= maxPerUser)
            {
                return false;
            }
            user.Sockets.Add(socketId);
            return true;
        }
    }

    /// <summary>Removes a socket; true when it was the user's last one (the user went offline).</summary>
    public bool Remove(string userId, string socketId)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Sockets.Remove(socketId)) return false;
            if (user.Sockets.Count > 0) return false;
            _users.Remove(userId);
            return true;
        }
    }

    /// <summary>Sets an online user's status; false when it already was that, or the user is offline.</summary>
    public bool TrySetStatus(string userId, string status)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user) || user.Status == status) return false;
            user.Status = status;
            return true;
        }
    }

    private sealed class UserConnections
    {
        public HashSet<string> Sockets { get; } = new(StringComparer.Ordinal);

        public string Status { get; set; } = Contracts.Requests.PresenceStatusRequest.Online;
    }
}
