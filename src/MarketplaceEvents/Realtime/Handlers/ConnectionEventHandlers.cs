using System.Text.Json;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Contracts.Requests;
using MarketplaceEvents.Domain;
using SocketIo;

namespace MarketplaceEvents.Realtime.Handlers;

/// <summary><c>auth</c>, <c>health.check</c> and <c>pong</c>: the events about the connection itself.</summary>
internal sealed class ConnectionEventHandlers(
    EventRouter router,
    TokenValidator validator,
    SocketSessions sessions,
    RealtimeCounters counters,
    TimeProvider time) : IEventHandlerGroup
{
    public void Register(SocketIoSocket socket)
    {
        router.On<AuthRequest>(socket, EventNames.Auth, AuthRequest.Read, AuthenticateAsync, requiresAuth: false);
        router.On<JsonElement?>(socket, EventNames.HealthCheck, ReadOptionalObject, HealthCheckAsync, requiresAuth: false);
        router.On<PongRequest>(socket, EventNames.Pong, PongRequest.Read, PongAsync);
    }

    private async Task AuthenticateAsync(EventContext context, AuthRequest request)
    {
        var check = await validator.ValidateAsync(request.Token).ConfigureAwait(false);
        if (!check.IsValid)
        {
            context.Reject(ErrorCodes.AuthFailed, check.Failure!);
            context.Socket.Disconnect();
            return;
        }
        var user = check.User!;
        var current = context.State.User;
        if (current is not null)
        {
            if (current.Id != user.Id)
            {
                context.Reject(ErrorCodes.AuthFailed, "A connection cannot change its user; connect again instead");
                return;
            }
            // The same user with a fresh token: the session lives on until the new expiry, under the token's name.
            await sessions.RememberProfileAsync(user, context.Socket.DisconnectToken).ConfigureAwait(false);
            sessions.Refresh(context.Socket, context.State, user);
            context.Reply(new AuthAck(Describe(user)));
            return;
        }

        await sessions.RememberProfileAsync(user, context.Socket.DisconnectToken).ConfigureAwait(false);
        var start = await sessions.TryBeginAsync(context.Socket, context.State, user).ConfigureAwait(false);
        if (!start.Started)
        {
            context.Reject(start.ErrorCode!, start.ErrorMessage!);
            context.Socket.Disconnect();
            return;
        }
        context.Reply(new AuthAck(Describe(user)));
        await sessions.CompleteAsync(context.Socket, user, start.CameOnline).ConfigureAwait(false);
    }

    private Task HealthCheckAsync(EventContext context, JsonElement? _)
    {
        context.Reply(new HealthCheckAck("ok", Timestamps.ToIso(time.GetUtcNow())));
        return Task.CompletedTask;
    }

    private Task PongAsync(EventContext context, PongRequest request)
    {
        context.State.LastPongAt = time.GetUtcNow();
        counters.PongReceived();
        return Task.CompletedTask;
    }

    /// <summary>health.check takes no payload, or an object (ignored).</summary>
    private static bool ReadOptionalObject(JsonElement? payload, out JsonElement? request, out string error)
    {
        request = payload;
        if (payload is null or { ValueKind: JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined })
        {
            error = "";
            return true;
        }
        error = "payload must be absent or a JSON object";
        return false;
    }

    private static AuthenticatedUser Describe(UserIdentity user) => new(user.Id, user.Name, user.Role, user.Avatar);
}
