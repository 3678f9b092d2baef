using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Domain;
using MarketplaceEvents.Presence;
using MarketplaceEvents.Services;
using MarketplaceEvents.Storage;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// The life of a socket's session: the deadline to authenticate, registration of the user (rooms, connection limit,
/// presence, replay of missed notifications), the end of the session when the token expires, and the cleanup
/// when the socket disconnects.
/// </summary>
internal sealed partial class SocketSessions(
    ConnectionRegistry registry,
    IPresenceRegistry presenceRegistry,
    PresenceService presence,
    NotificationService notifications,
    IUserStore users,
    IOptions<LimitsOptions> limits,
    IOptions<AuthOptions> auth,
    TimeProvider time,
    ILogger<SocketSessions> logger)
{
    // TimeProvider timers take at most about 49 days; a later expiry is re-armed when this much has passed.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(30);

    /// <summary>Called first for every socket: counts it, arranges its cleanup, and starts the authentication deadline.</summary>
    public void Opened(SocketIoSocket socket, ConnectionState state)
    {
        registry.SocketOpened();
        socket.Disconnected += (s, _) => Closed(s, state);
        if (state.HandshakeUser is not null) return;

        var deadline = auth.Value.AuthEventTimeout;
        state.SetAuthTimer(time.CreateTimer(_ =>
        {
            if (state.IsAuthenticated || !socket.Connected) return;
            Log.AuthTimedOut(logger, socket.Id);
            socket.Emit(EventNames.Error, new ErrorEvent(ErrorCodes.AuthFailed, $"Authentication timed out: no '{EventNames.Auth}' event within {deadline.TotalSeconds:0.###} s"));
            socket.Disconnect();
        }, null, deadline, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Makes the socket the user's: joins its rooms, registers it (on every node's count), unless the user is at the
    /// connection limit, and arms the expiry. The caller holds the socket's event gate, so the events that follow
    /// wait for this. A refused socket keeps its user for its cleanup, and must be disconnected by the caller.
    /// </summary>
    public async Task<SessionStart> TryBeginAsync(SocketIoSocket socket, ConnectionState state, UserIdentity user)
    {
        state.SetUser(user);
        state.SetAuthTimer(null);
        // In the rooms before it counts as online: whatever is emitted to the user from then on (by any node) reaches
        // it, and what was not is still queued for the replay.
        socket.Join([RoomNames.User(user.Id), RoomNames.Authenticated]);
        PresenceAdmission admission;
        try
        {
            // Not cancelled with the socket: whether it was added must be known, for the cleanup below.
            admission = await presenceRegistry.TryAddAsync(user.Id, socket.Id, limits.Value.ConnectionsPerUser).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.RegistrationFailed(logger, socket.Id, user.Id, ex);
            // Possibly added before the failure: the socket's cleanup removes it.
            return new SessionStart(false, false, ErrorCodes.InternalError, "The server could not register the connection; try again");
        }
        if (admission == PresenceAdmission.Refused)
        {
            Log.UserConnectionLimit(logger, user.Id, limits.Value.ConnectionsPerUser);
            return new SessionStart(false, false, ErrorCodes.RateLimit, $"Too many connections for this user (at most {limits.Value.ConnectionsPerUser})");
        }
        if (!socket.Connected)
        {
            // It disconnected while being registered, possibly before its cleanup could see it registered.
            state.StopTimers();
            await RemoveAsync(user.Id, socket.Id).ConfigureAwait(false);
            return new SessionStart(false, false, ErrorCodes.InternalError, "Disconnected");
        }
        ScheduleExpiry(socket, state);
        return new SessionStart(true, admission == PresenceAdmission.CameOnline);
    }

    /// <summary>
    /// Remembers the name and avatar the token carries, before the client learns it is connected (or authenticated),
    /// so that what it does next shows its name.
    /// </summary>
    public Task RememberProfileAsync(UserIdentity user, CancellationToken cancellationToken) => users.UpsertAsync(user.ToProfile(), cancellationToken);

    /// <summary>The rest of the registration: announces presence, replays missed notifications.</summary>
    public async Task CompleteAsync(SocketIoSocket socket, UserIdentity user, bool cameOnline)
    {
        if (cameOnline) await presence.CameOnlineAsync(user, socket.DisconnectToken).ConfigureAwait(false);
        await notifications.ReplayAsync(user.Id, n => socket.Emit(EventNames.NotificationUser, n), socket.DisconnectToken).ConfigureAwait(false);
    }

    /// <summary>A fresh token of the same user: the session now ends with the new token.</summary>
    public void Refresh(SocketIoSocket socket, ConnectionState state, UserIdentity user)
    {
        state.SetUser(user);
        ScheduleExpiry(socket, state);
    }

    private void ScheduleExpiry(SocketIoSocket socket, ConnectionState state)
    {
        var user = state.User!;
        var due = user.ExpiresAt + auth.Value.ClockSkew - time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (due > LongestTimer) due = LongestTimer;
        state.SetExpiryTimer(time.CreateTimer(_ => OnExpiryTimer(socket, state), null, due, Timeout.InfiniteTimeSpan));
    }

    private void OnExpiryTimer(SocketIoSocket socket, ConnectionState state)
    {
        if (state.User is not { } user || !socket.Connected) return;
        if (user.ExpiresAt + auth.Value.ClockSkew > time.GetUtcNow())
        {
            // Refreshed meanwhile, or a far expiry split over several timers.
            ScheduleExpiry(socket, state);
            return;
        }
        Log.TokenExpired(logger, socket.Id, user.Id);
        socket.Emit(EventNames.Error, new ErrorEvent(ErrorCodes.AuthFailed, "Authentication token expired"));
        socket.Disconnect();
    }

    private void Closed(SocketIoSocket socket, ConnectionState state)
    {
        state.StopTimers();
        registry.SocketClosed();
        if (state.User is { } user) _ = RemoveAsync(user.Id, socket.Id);
    }

    /// <summary>Unregisters a socket and, when that was the user's last connection anywhere, announces it offline.</summary>
    private async Task RemoveAsync(string userId, string socketId)
    {
        try
        {
            if (await presenceRegistry.RemoveAsync(userId, socketId).ConfigureAwait(false)) await presence.WentOfflineAsync(userId).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nobody awaits this: the failure is logged, never lost.
            Log.OfflineFailed(logger, userId, ex);
        }
    }
}

/// <summary>
/// How <see cref="SocketSessions.TryBeginAsync"/> went: started (and whether the user just came online), or refused
/// with the error the client gets.
/// </summary>
internal readonly record struct SessionStart(bool Started, bool CameOnline, string? ErrorCode = null, string? ErrorMessage = null);
