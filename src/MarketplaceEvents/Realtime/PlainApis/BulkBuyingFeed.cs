using System.Collections.Concurrent;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>
/// The bulk-buying notification feed of the older marketplace, for its plain WebSocket clients: a namespace of the
/// service's Socket.IO server (so its rooms, broadcasts and cluster adapter are the hub's), served at
/// <c>/api/notifications/ws</c> with envelopes <c>{type, id, timestamp, data}</c>. Authenticated like the REST API;
/// close codes 4000 (no credentials), 4001 (invalid or expired token), 4002 (a limit), 1001 (shutdown), 1011
/// (internal error).
/// </summary>
internal sealed class BulkBuyingFeed(SocketIoServer io, TokenValidator tokens, IOptions<BulkBuyingFeedOptions> options, TimeProvider time, ILogger<BulkBuyingFeed> logger)
{
    public const string Path = "/api/notifications/ws";
    public const string NamespaceName = "/plain/notifications";

    public const int LimitExceeded = PlainApiAuth.LimitExceeded;

    public const string OrderStatusChange = "ORDER_STATUS_CHANGE";
    public const string PoolProgress = "POOL_PROGRESS";
    public const string SystemNotification = "SYSTEM_NOTIFICATION";

    private readonly ConcurrentDictionary<string, int> _connectionsPerUser = new(StringComparer.Ordinal);

    private SocketIoNamespace Namespace => io.Of(NamespaceName);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var nsp = Namespace;
        nsp.Use(AuthenticateAsync);
        nsp.OnConnection(OnConnection);
        endpoints.MapPlainWebSocket(Path, NamespaceName, o => o.KeepAliveInterval = options.Value.KeepAliveInterval);
    }

    private async ValueTask AuthenticateAsync(SocketIoSocket socket, CancellationToken cancellationToken)
    {
        var user = await PlainApiAuth.AuthenticateAsync(socket, tokens, logger).ConfigureAwait(false);
        var count = _connectionsPerUser.AddOrUpdate(user.Id, 1, (_, n) => n + 1);
        if (count > options.Value.MaxConnectionsPerUser)
        {
            Release(user.Id);
            PlainApiAuth.Refuse(socket, LimitExceeded, "Too many connections");
        }
        socket.Data = new FeedConnection(user);
    }

    private void OnConnection(SocketIoSocket socket)
    {
        if (socket.Data is not FeedConnection connection) return;
        socket.Join(RoomNames.User(connection.User.Id));
        socket.Disconnected += (_, _) => Release(connection.User.Id);
        var limit = options.Value;
        socket.Use((e, _) =>
        {
            // The feed is server to client: a client flooding it is cut off.
            if (!connection.CountMessage(time.GetUtcNow(), limit.MaxMessagesPerWindow, limit.MessageWindow))
            {
                socket.CloseConnection(LimitExceeded, "Too many messages");
                throw new InvalidOperationException("message limit");
            }
            return ValueTask.CompletedTask;
        });
        // Clients of the older feed acknowledge what they read; nothing to do with it but answer.
        socket.On("ACK", e => e.Ack?.Send(new { received = true }));
    }

    private void Release(string userId)
    {
        if (_connectionsPerUser.AddOrUpdate(userId, 0, (_, n) => n - 1) <= 0) _connectionsPerUser.TryRemove(new KeyValuePair<string, int>(userId, 0));
    }

    /// <summary>Mirrors the service's events onto the feed, in its own message types.</summary>
    public void OnUserEvent(IEnumerable<string> userIds, string eventName, object payload)
    {
        if (eventName != EventNames.OrderStatus || payload is not OrderStatusEvent order) return;
        var rooms = userIds.Select(RoomNames.User).ToArray();
        if (rooms.Length == 0) return;
        Namespace.To(rooms).Emit(OrderStatusChange, new
        {
            orderId = order.OrderId,
            fromStatus = order.PreviousStatus?.ToUpperInvariant(),
            toStatus = order.Status.ToUpperInvariant(),
        });
    }

    public void OnEveryoneEvent(string eventName, object payload)
    {
        if (eventName != EventNames.NotificationSystem || payload is not SystemNotificationEvent notification) return;
        Namespace.Emit(SystemNotification, new
        {
            title = notification.Title,
            message = notification.Message,
            severity = Severity(notification.Type, notification.Priority),
        });
    }

    /// <summary>Sends a pool's progress to its participants (its provider and committed buyers) on the feed.</summary>
    public void OnPoolProgress(IEnumerable<string> userIds, Services.PoolProgress progress)
    {
        var rooms = userIds.Select(RoomNames.User).ToArray();
        if (rooms.Length == 0) return;
        Namespace.To(rooms).Emit(PoolProgress, new
        {
            poolId = progress.PoolId,
            progress = progress.Progress,
            currentQuantity = progress.CurrentQuantity,
            targetQuantity = progress.TargetQuantity,
        });
    }

    private static string Severity(string type, string priority) =>
        type.Contains("error", StringComparison.OrdinalIgnoreCase) || priority == "urgent" ? "ERROR"
        : type.Contains("warn", StringComparison.OrdinalIgnoreCase) || type.Contains("maintenance", StringComparison.OrdinalIgnoreCase) || priority == "high" ? "WARNING"
        : "INFO";

    /// <summary>Per-connection state: the user and the message-rate window.</summary>
    private sealed class FeedConnection(UserIdentity user)
    {
        private readonly Queue<DateTimeOffset> _recent = new();

        public UserIdentity User { get; } = user;

        public bool CountMessage(DateTimeOffset now, int max, TimeSpan window)
        {
            lock (_recent)
            {
                while (_recent.Count > 0 && now - _recent.Peek() >= window) _recent.Dequeue();
                if (_recent.Count >= max) return false;
                _recent.Enqueue(now);
                return true;
            }
        }
    }
}
