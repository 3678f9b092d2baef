using System.Collections.Concurrent;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Services;
using MarketplaceEvents.Storage;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime.PlainApis;

/// <summary>
/// The older chat delivery API at <c>/ws?token=</c>, for plain WebSocket clients, on the same conversations as the
/// Socket.IO <c>chat.*</c> events (a message sent either way reaches both kinds of client). Client messages:
/// <c>message</c> {conversation_id, content, client_message_id?}, <c>ack</c> {message_id}, <c>join_room</c> /
/// <c>leave_room</c> {room_id} (a room is a conversation). Server messages: <c>message</c>, <c>room_update</c>
/// {room_id, event: client_joined|client_left, client_id}, <c>client_status</c> {client_id, status: online|offline,
/// last_seen}, <c>error</c> {code, message, retry_after}. Delivery is at least once: a message stays queued for its
/// recipient (at most <see cref="ChatDeliveryOptions.MaxQueuedPerClient"/>) until acknowledged, and is sent again,
/// in order, when the client connects. Queues are kept in this node's memory for users who connected to this API
/// since the service started.
/// </summary>
internal sealed class ChatDeliveryApi(
    SocketIoServer io,
    TokenValidator tokens,
    // The chat service reaches clients through the emitter, which reaches this API: resolved on use, not injected.
    IServiceProvider services,
    IConversationStore conversations,
    IOptions<ChatDeliveryOptions> options,
    TimeProvider time,
    ILogger<ChatDeliveryApi> logger)
{
    public const string Path = "/ws";
    public const string HealthPath = "/ws/health";
    public const string NamespaceName = "/plain/chat";

    private readonly ConcurrentDictionary<string, ClientQueue> _queues = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private int _active;

    private SocketIoNamespace Namespace => io.Of(NamespaceName);

    private static string RoomOf(string conversationId) => "conversation:" + conversationId;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        var nsp = Namespace;
        nsp.Use(async (socket, _) => socket.Data = new ChatClient(await PlainApiAuth.AuthenticateAsync(socket, tokens, logger).ConfigureAwait(false)));
        nsp.OnConnection(OnConnection);
        endpoints.MapPlainWebSocket(Path, NamespaceName);
        endpoints.MapGet(HealthPath, () => Results.Ok(new
        {
            status = "ok",
            active_connections = Volatile.Read(ref _active),
            uptime_seconds = (long)(time.GetUtcNow() - _started).TotalSeconds,
        }));
    }

    private void OnConnection(SocketIoSocket socket)
    {
        if (socket.Data is not ChatClient client) return;
        Interlocked.Increment(ref _active);
        var queue = _queues.GetOrAdd(client.User.Id, _ => new ClientQueue());
        lock (queue)
        {
            // What waited (or was never acknowledged) goes first, in order; live messages follow once the socket is in
            // its user's room, and they take this lock too, so nothing overtakes the backlog.
            foreach (var message in queue.Pending) socket.Emit("message", message.Payload);
            socket.Join(RoomNames.User(client.User.Id));
            queue.Connections++;
        }

        socket.Disconnecting += (s, _) =>
        {
            Interlocked.Decrement(ref _active);
            lock (queue) queue.Connections--;
            var lastSeen = Timestamps.ToIso(time.GetUtcNow());
            foreach (var room in s.Rooms.Where(r => r.StartsWith("conversation:", StringComparison.Ordinal)))
            {
                var id = room["conversation:".Length..];
                s.To(room).Emit("room_update", new { room_id = id, @event = "client_left", client_id = client.User.Id });
                s.To(room).Emit("client_status", new { client_id = client.User.Id, status = "offline", last_seen = lastSeen });
            }
        };

        var limit = options.Value;
        socket.Use((e, _) =>
        {
            if (e.Name != "message") return ValueTask.CompletedTask;
            if (client.TryCount(time.GetUtcNow(), limit.MaxMessagesPerWindow, limit.MessageWindow, out var retryAfter)) return ValueTask.CompletedTask;
            socket.Emit("error", new { code = ErrorCodes.RateLimit, message = "Too many messages", retry_after = retryAfter });
            throw new EventRateLimitedException(e.Name);
        });

        socket.On<SendMessage>("message", async (request, ack) =>
        {
            var result = request is null || string.IsNullOrEmpty(request.conversation_id) || string.IsNullOrEmpty(request.content)
                ? MarketplaceError.Invalid("message needs conversation_id and content")
                : await services.GetRequiredService<ChatService>().SendAsync(client.User, new ChatSendRequest(request.conversation_id, request.content, [], request.client_message_id), socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) ack.Send(new { ok = true, message = ToPayload(result.Value) });
            else Fail(socket, ack, result.Error);
        });

        socket.On<AckMessage>("ack", (request, ack) =>
        {
            if (request?.message_id is { } id)
            {
                lock (queue) queue.Pending.RemoveAll(m => m.Id == id);
            }
            ack.Send(new { ok = true });
        });

        socket.On<RoomRequest>("join_room", async (request, ack) =>
        {
            var conversation = request?.room_id is { } id ? await conversations.GetAsync(id, socket.DisconnectToken).ConfigureAwait(false) : null;
            if (conversation is null || !conversation.HasParticipant(client.User.Id))
            {
                Fail(socket, ack, MarketplaceError.NotFound("Conversation"));
                return;
            }
            var room = RoomOf(conversation.Id);
            socket.To(room).Emit("room_update", new { room_id = conversation.Id, @event = "client_joined", client_id = client.User.Id });
            socket.To(room).Emit("client_status", new { client_id = client.User.Id, status = "online", last_seen = Timestamps.ToIso(time.GetUtcNow()) });
            socket.Join(room);
            ack.Send(new { ok = true, room_id = conversation.Id });
        });

        socket.On<RoomRequest>("leave_room", (request, ack) =>
        {
            if (request?.room_id is { } id && socket.Rooms.Contains(RoomOf(id)))
            {
                socket.Leave(RoomOf(id));
                socket.To(RoomOf(id)).Emit("room_update", new { room_id = id, @event = "client_left", client_id = client.User.Id });
            }
            ack.Send(new { ok = true });
        });
    }

    private static void Fail(SocketIoSocket socket, SocketIoAck ack, MarketplaceError error)
    {
        var body = new { code = error.Code, message = error.Message, retry_after = (int?)null };
        if (ack.IsSent || !ack.Send(new { ok = false, error = body })) socket.Emit("error", body);
    }

    /// <summary>
    /// A chat message stored by the service (sent from either kind of client): queued for each participant until
    /// acknowledged, and sent now to those connected here.
    /// </summary>
    public void OnChatMessage(IEnumerable<string> userIds, ChatMessagePayload message)
    {
        var payload = ToPayload(message);
        var max = options.Value.MaxQueuedPerClient;
        foreach (var userId in userIds)
        {
            // Only users who are clients of this API get a queue: the others read their chat over Socket.IO.
            if (!_queues.TryGetValue(userId, out var queue)) continue;
            lock (queue)
            {
                queue.Pending.Add(new QueuedMessage(message.Id, payload));
                // The oldest unacknowledged message makes room: the client catches up with history instead.
                if (queue.Pending.Count > max) queue.Pending.RemoveAt(0);
                if (queue.Connections > 0) Namespace.To(RoomNames.User(userId)).Emit("message", payload);
            }
        }
    }

    private static object ToPayload(ChatMessagePayload message) => new
    {
        id = message.Id,
        conversation_id = message.ConversationId,
        sender_id = message.Sender.Id,
        sender_name = message.Sender.Name,
        content = message.Content,
        timestamp = message.Timestamp,
    };

    private sealed record SendMessage(string? conversation_id, string? content, string? client_message_id);

    private sealed record AckMessage(string? message_id);

    private sealed record RoomRequest(string? room_id);

    private sealed record QueuedMessage(string Id, object Payload);

    /// <summary>A user's unacknowledged messages and how many connections it has here.</summary>
    private sealed class ClientQueue
    {
        public List<QueuedMessage> Pending { get; } = [];

        public int Connections { get; set; }
    }

    /// <summary>Per-connection state: the user and the message-rate window.</summary>
    private sealed class ChatClient(UserIdentity user)
    {
        private readonly Queue<DateTimeOffset> _recent = new();

        public UserIdentity User { get; } = user;

        public bool TryCount(DateTimeOffset now, int max, TimeSpan window, out int retryAfterSeconds)
        {
            lock (_recent)
            {
                while (_recent.Count > 0 && now - _recent.Peek() >= window) _recent.Dequeue();
                if (_recent.Count >= max)
                {
                    retryAfterSeconds = Math.Max(1, (int)Math.Ceiling((_recent.Peek() + window - now).TotalSeconds));
                    return false;
                }
                _recent.Enqueue(now);
                retryAfterSeconds = 0;
                return true;
            }
        }
    }
}
