using System.Collections.Concurrent;
using System.Text.Json;
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
/// The learning guide's sockets: <c>/api/chat/ws</c>, <c>/api/analytics/ws</c> and <c>/api/collaboration/ws</c>, each a
/// namespace of the service's Socket.IO server (a socket.io-client can join the same namespace). A client
/// authenticates with <c>?token=</c> (or a Socket.IO handshake's <c>auth.token</c>) or with a first
/// <c>{type:"auth", token, contextId}</c> message; until then other messages get an <c>unauthorized</c> error. At most
/// <see cref="LearningGuideOptions.MaxConnectionsPerWindow"/> connections per IP per window and
/// <see cref="LearningGuideOptions.MaxMessagesPerWindow"/> messages per connection per window: beyond, 1008.
/// </summary>
internal sealed class LearningGuideSockets(
    SocketIoServer io,
    TokenValidator tokens,
    IConversationStore conversations,
    IServiceProvider services,
    Presence.IPresenceRegistry presence,
    RealtimeCounters counters,
    IOptions<LearningGuideOptions> options,
    TimeProvider time)
{
    public const string ChatNamespace = "/learning/chat";
    public const string AnalyticsNamespace = "/learning/analytics";
    public const string CollaborationNamespace = "/learning/collaboration";
    public const int PolicyViolation = 1008;

    private static readonly string[] Metrics = ["engagement", "performance", "activity"];

    private readonly ConcurrentDictionary<string, SlidingWindowCounter> _connectionsPerIp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CollaborationSession> _sessions = new(StringComparer.Ordinal);

    private static string ConversationRoom(string id) => "conversation:" + id;

    private static string SessionRoom(string id) => "session:" + id;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        Setup(ChatNamespace, RegisterChat);
        Setup(AnalyticsNamespace, RegisterAnalytics);
        Setup(CollaborationNamespace, RegisterCollaboration);
        endpoints.MapPlainWebSocket("/api/chat/ws", ChatNamespace);
        endpoints.MapPlainWebSocket("/api/analytics/ws", AnalyticsNamespace);
        endpoints.MapPlainWebSocket("/api/collaboration/ws", CollaborationNamespace);
    }

    private void Setup(string name, Action<SocketIoSocket, GuideClient> register)
    {
        var nsp = io.Of(name);
        nsp.Use(async (socket, _) =>
        {
            var limits = options.Value;
            var ip = socket.Handshake.Address?.ToString() ?? "unknown";
            if (!_connectionsPerIp.GetOrAdd(ip, _ => new SlidingWindowCounter()).TryCount(time.GetUtcNow(), limits.MaxConnectionsPerWindow, limits.ConnectionWindow))
                PlainApiAuth.Refuse(socket, PolicyViolation, "Too many connections");
            var client = new GuideClient();
            var token = socket.Handshake.Query["token"].ToString();
            if (string.IsNullOrEmpty(token) && socket.Handshake.Auth.ValueKind == JsonValueKind.Object && socket.Handshake.Auth.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String)
                token = t.GetString();
            if (!string.IsNullOrEmpty(token))
            {
                var check = await tokens.ValidateAsync(token).ConfigureAwait(false);
                if (!check.IsValid) PlainApiAuth.Refuse(socket, PolicyViolation, check.Failure ?? "Invalid token");
                client.User = check.User;
            }
            socket.Data = client;
        });
        nsp.OnConnection(async socket =>
        {
            if (socket.Data is not GuideClient client) return;
            var limits = options.Value;
            socket.Use((e, _) =>
            {
                if (!client.Messages.TryCount(time.GetUtcNow(), limits.MaxMessagesPerWindow, limits.MessageWindow))
                {
                    socket.CloseConnection(PolicyViolation, "Too many messages");
                    throw new EventRateLimitedException(e.Name);
                }
                if (client.User is null && e.Name != "auth")
                {
                    socket.Emit("error", new { code = "unauthorized", message = "Authenticate first: {type:\"auth\", token}" });
                    throw new InvalidOperationException("unauthenticated");
                }
                return ValueTask.CompletedTask;
            });
            socket.On<JsonElement>("auth", async (payload, ack) =>
            {
                // The older clients put token and contextId beside the type; data is accepted too.
                var token = Read(payload, "token");
                var check = token is null ? TokenCheck.Invalid("token required") : await tokens.ValidateAsync(token).ConfigureAwait(false);
                if (!check.IsValid)
                {
                    socket.CloseConnection(PolicyViolation, check.Failure ?? "Invalid token");
                    return;
                }
                client.User = check.User;
                ack.Send(new { ok = true, userId = client.User!.Id });
                socket.Emit("authenticated", new { userId = client.User.Id });
                if (Read(payload, "contextId") is { } context) await client.OnContext(context).ConfigureAwait(false);
            });
            register(socket, client);
            if (socket.Handshake.Query["contextId"].ToString() is { Length: > 0 } contextId && client.User is not null)
                await client.OnContext(contextId).ConfigureAwait(false);
        });
    }

    private static string? Read(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // ---- Chat: a context is a conversation, shared with Socket.IO chat.* users ---------------------------------

    private void RegisterChat(SocketIoSocket socket, GuideClient client)
    {
        client.OnContext = async conversationId =>
        {
            var conversation = await conversations.GetAsync(conversationId, socket.DisconnectToken).ConfigureAwait(false);
            if (conversation is null || !conversation.HasParticipant(client.User!.Id))
            {
                socket.Emit("error", new { code = ErrorCodes.NotFound, message = "Conversation not found" });
                return;
            }
            client.Context = conversation.Id;
            socket.To(ConversationRoom(conversation.Id)).Emit("user_joined", new { userId = client.User.Id, name = client.User.Name });
            socket.Join(ConversationRoom(conversation.Id));
            socket.Disconnecting += (s, _) => s.To(ConversationRoom(conversation.Id)).Emit("user_left", new { userId = client.User.Id, name = client.User.Name });
        };

        socket.On<JsonElement>("message", async (payload, ack) =>
        {
            if (client.Context is not { } conversationId || Read(payload, "content") is not { Length: > 0 } content)
            {
                socket.Emit("error", new { code = ErrorCodes.InvalidPayload, message = "Join a conversation (contextId) and send {content}" });
                return;
            }
            var result = await services.GetRequiredService<ChatService>().SendAsync(client.User!, new ChatSendRequest(conversationId, content, [], null), socket.DisconnectToken).ConfigureAwait(false);
            if (result.Succeeded) ack.Send(new { ok = true, messageId = result.Value.Id });
            else socket.Emit("error", new { code = result.Error.Code, message = result.Error.Message });
        });

        socket.On<JsonElement>("typing", payload =>
        {
            if (client.Context is not { } conversationId) return;
            var isTyping = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("isTyping", out var t) ? t.ValueKind == JsonValueKind.True : true;
            socket.To(ConversationRoom(conversationId)).Emit("typing", new { userId = client.User!.Id, isTyping });
        });

        socket.On("history", async e =>
        {
            var payload = e.Args.Count > 0 ? e.Args.Get<JsonElement>(0) : default;
            if (client.Context is not { } conversationId) return;
            var limit = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("limit", out var l) && l.TryGetInt32(out var n) ? Math.Clamp(n, 1, ChatHistoryRequest.MaxLimit) : ChatHistoryRequest.DefaultLimit;
            var before = Read(payload, "before");
            var cursor = before is null ? null : Timestamps.TryParse(before, out var at) ? new HistoryCursor(null, at) : new HistoryCursor(before, null);
            var result = await services.GetRequiredService<ChatService>().HistoryAsync(client.User!, new ChatHistoryRequest(conversationId, limit, cursor), socket.DisconnectToken).ConfigureAwait(false);
            if (!result.Succeeded) return;
            var page = new { messages = result.Value.Messages.Select(ToMessage).ToArray(), hasMore = result.Value.HasMore };
            // Asked with an id: the answer; asked without: a history message.
            if (e.Ack is { } ack) ack.Send(page);
            else socket.Emit("history", page);
        });
    }

    /// <summary>A chat message stored by the service, from any client: to the learning-guide clients of its conversation.</summary>
    public void OnChatMessage(ChatMessagePayload message) =>
        io.Of(ChatNamespace).To(ConversationRoom(message.ConversationId)).Emit("message", ToMessage(message));

    private static object ToMessage(ChatMessagePayload message) =>
        new { id = message.Id, conversationId = message.ConversationId, userId = message.Sender.Id, name = message.Sender.Name, content = message.Content, timestamp = message.Timestamp };

    // ---- Analytics: live figures of the service ---------------------------------------------------------------

    private void RegisterAnalytics(SocketIoSocket socket, GuideClient client)
    {
        socket.On<JsonElement>("subscribe", (payload, ack) =>
        {
            var wanted = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).Where(Metrics.Contains).Distinct().ToArray()
                : Metrics;
            if (wanted.Length == 0)
            {
                socket.Emit("error", new { code = ErrorCodes.InvalidPayload, message = "metrics: engagement, performance or activity" });
                return;
            }
            client.Metrics = wanted;
            ack.Send(new { ok = true, metrics = wanted });
            if (client.Timer is not null) return;
            client.Timer = time.CreateTimer(_ => SendMetrics(socket, client), null, TimeSpan.Zero, options.Value.MetricInterval);
            socket.Disconnected += (_, _) => client.Timer?.Dispose();
        });
        socket.On<JsonElement>("unsubscribe", (_, ack) =>
        {
            client.Metrics = [];
            ack.Send(new { ok = true });
        });
    }

    private void SendMetrics(SocketIoSocket socket, GuideClient client)
    {
        var now = Timestamps.ToIso(time.GetUtcNow());
        foreach (var metric in client.Metrics)
        {
            double value = metric switch
            {
                "engagement" => presence.OnlineUsers,
                "performance" => Math.Round(Environment.WorkingSet / 1_048_576.0, 1),
                _ => counters.EventsReceived,
            };
            socket.Emit("metric_update", new { metric, value, timestamp = now });
        }
    }

    // ---- Collaboration: ordered edits with position transform -------------------------------------------------

    private void RegisterCollaboration(SocketIoSocket socket, GuideClient client)
    {
        client.OnContext = sessionId =>
        {
            Join(socket, client, sessionId, ack: null);
            return Task.CompletedTask;
        };
        socket.On("join_session", e =>
        {
            var payload = e.Args.Count > 0 ? e.Args.Get<JsonElement>(0) : default;
            Join(socket, client, Read(payload, "sessionId") ?? Read(payload, "contextId"), e.Ack);
        });
        socket.On<JsonElement>("leave_session", (_, ack) =>
        {
            if (client.Context is { } id)
            {
                socket.Leave(SessionRoom(id));
                socket.To(SessionRoom(id)).Emit("user_left", new { userId = client.User!.Id });
                client.Context = null;
            }
            ack.Send(new { ok = true });
        });
        socket.On<JsonElement>("edit", (payload, ack) =>
        {
            if (client.Context is not { } id || !_sessions.TryGetValue(id, out var session) || !Edit.TryRead(payload, out var edit))
            {
                socket.Emit("error", new { code = ErrorCodes.InvalidPayload, message = "Join a session, then send {operation: insert|delete, position, content, version}" });
                return;
            }
            // Ordered per session: the edit is transformed against what was applied since its version, applied, and
            // broadcast (to its author too) under the session's lock, so every client sees the same sequence.
            lock (session)
            {
                var applied = session.Apply(edit, client.User!.Id);
                io.Of(CollaborationNamespace).To(SessionRoom(id)).Emit("edit", applied);
                ack.Send(new { ok = true, version = applied.Version, position = applied.Position });
            }
        });
    }

    private void Join(SocketIoSocket socket, GuideClient client, string? sessionId, SocketIoAck? ack)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 128)
        {
            socket.Emit("error", new { code = ErrorCodes.InvalidPayload, message = "sessionId required" });
            return;
        }
        var session = _sessions.GetOrAdd(sessionId, _ => new CollaborationSession());
        client.Context = sessionId;
        socket.To(SessionRoom(sessionId)).Emit("user_joined", new { userId = client.User!.Id });
        lock (session)
        {
            // The current text and version, then every later edit: nothing in between is missed.
            var state = new { sessionId, content = session.Text, version = session.Version };
            if (ack is not null) ack.Send(state);
            else socket.Emit("session_state", state);
            socket.Join(SessionRoom(sessionId));
        }
    }

    /// <summary>Per-connection state.</summary>
    private sealed class GuideClient
    {
        public UserIdentity? User { get; set; }

        public string? Context { get; set; }

        public SlidingWindowCounter Messages { get; } = new();

        public Func<string, Task> OnContext { get; set; } = _ => Task.CompletedTask;

        public string[] Metrics { get; set; } = [];

        public ITimer? Timer { get; set; }
    }
}
