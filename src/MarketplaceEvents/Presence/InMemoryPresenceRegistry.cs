using MarketplaceEvents.Contracts.Requests;

namespace MarketplaceEvents.Presence;

/// <summary>The presence of one node on its own (the default without <c>Realtime:Redis</c>). Thread-safe.</summary>
internal sealed class InMemoryPresenceRegistry : IPresenceRegistry
{
    private readonly object _sync = new();
    private readonly Dictionary<string, UserConnections> _users = new(StringComparer.Ordinal);

    public int OnlineUsers
    {
        get
        {
            lock (_sync) return _users.Count;
        }
    }

    public Task<int> ConnectionsOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_sync) return Task.FromResult(_users.TryGetValue(userId, out var user) ? user.Sockets.Count : 0);
    }

    public Task<PresenceAdmission> TryAddAsync(string userId, string socketId, int maxPerUser, CancellationToken cancellationToken = default) =>
        Task.FromResult(TryAdd(userId, socketId, maxPerUser));

    public Task<bool> RemoveAsync(string userId, string socketId, CancellationToken cancellationToken = default) => Task.FromResult(Remove(userId, socketId));

    public Task<bool> IsOnlineAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_sync) return Task.FromResult(_users.ContainsKey(userId));
    }

    public Task<IReadOnlyDictionary<string, string>> StatusesAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_sync)
        {
            foreach (var id in userIds)
            {
                if (_users.TryGetValue(id, out var user)) statuses[id] = user.Status;
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>>(statuses);
    }

    public Task<bool> TrySetStatusAsync(string userId, string status, CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user) || user.Status == status) return Task.FromResult(false);
            user.Status = status;
            return Task.FromResult(true);
        }
    }

    private PresenceAdmission TryAdd(string userId, string socketId, int maxPerUser)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                user = new UserConnections();
                user.Sockets.Add(socketId);
                _users[userId] = user;
                return PresenceAdmission.CameOnline;
            }
            if (user.Sockets.Count >= maxPerUser && !user.Sockets.Contains(socketId)) return PresenceAdmission.Refused;
            user.Sockets.Add(socketId);
            return PresenceAdmission.Added;
        }
    }

    private bool Remove(string userId, string socketId)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user) || !user.Sockets.Remove(socketId)) return false;
            if (user.Sockets.Count > 0) return false;
            _users.Remove(userId);
            return true;
        }
    }

    private sealed class UserConnections
    {
        public HashSet<string> Sockets { get; } = new(StringComparer.Ordinal);

        public string Status { get; set; } = PresenceStatusRequest.Online;
    }
}
