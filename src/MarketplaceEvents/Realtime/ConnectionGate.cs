using System.Text.Json;
using MarketplaceEvents.Auth;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Contracts;
using MarketplaceEvents.Limits;
using MarketplaceEvents.Presence;
using Microsoft.Extensions.Options;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// The namespace middleware every connection passes: the per-IP connection rate, then the token (from the auth
/// payload, the <c>token</c> query parameter or the Authorization header) and the per-user connection limit.
/// Refusals reach the client's <c>connect_error</c> with <c>err.data = {code}</c>. A socket without any token is let
/// in unauthenticated: it must send the <c>auth</c> event within <see cref="AuthOptions.AuthEventTimeout"/>.
/// In a cluster both limits are global (<see cref="IConnectionRateLimiter"/>, <see cref="IPresenceRegistry"/>): a load
/// balancer spreads one client over the nodes, and per-node counts would let it through N times.
/// </summary>
internal sealed partial class ConnectionGate
{
    private readonly TokenValidator _validator;
    private readonly SocketSessions _sessions;
    private readonly IPresenceRegistry _presence;
    private readonly RealtimeCounters _counters;
    private readonly LimitsOptions _limits;
    private readonly IConnectionRateLimiter _connectionsPerIp;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionGate> _logger;

    public ConnectionGate(TokenValidator validator, SocketSessions sessions, IPresenceRegistry presence, IConnectionRateLimiter connectionsPerIp, RealtimeCounters counters,
        IOptions<LimitsOptions> limits, TimeProvider time, ILogger<ConnectionGate> logger)
    {
        _validator = validator;
        _sessions = sessions;
        _presence = presence;
        _counters = counters;
        _limits = limits.Value;
        _time = time;
        _logger = logger;
        _connectionsPerIp = connectionsPerIp;
    }

    public async ValueTask CheckAsync(SocketIoSocket socket, CancellationToken cancellationToken)
    {
        var address = socket.Handshake.Address?.ToString() ?? "unknown";
        var (acquired, wait) = await _connectionsPerIp.TryAcquireAsync(address, cancellationToken).ConfigureAwait(false);
        if (!acquired)
        {
            Log.IpRateLimited(_logger, address);
            throw Refuse(ErrorCodes.RateLimit, "Too many new connections from this address", RetryAfter.Seconds(wait));
        }

        var state = NewState();
        var token = FindToken(socket.Handshake, out var malformed);
        if (malformed) throw Refuse(ErrorCodes.AuthFailed, "Malformed authentication token");
        if (token is not null)
        {
            var check = await _validator.ValidateAsync(token).ConfigureAwait(false);
            if (!check.IsValid)
            {
                Log.TokenRefused(_logger, address, check.Failure!);
                throw Refuse(ErrorCodes.AuthFailed, check.Failure!);
            }
            // Checked again, atomically, when the socket registers: this early check is what reaches connect_error. A
            // socket resumed here (connection state recovery, maybe from a node that died) may still be counted under
            // its old node, which would refuse the very connection it is; the registration admits it without
            // counting it twice, and counts it like any other when the old registration is gone.
            var user = check.User!;
            if (!socket.Recovered && await _presence.ConnectionsOfAsync(user.Id, cancellationToken).ConfigureAwait(false) >= _limits.ConnectionsPerUser)
            {
                Log.UserConnectionLimit(_logger, user.Id, _limits.ConnectionsPerUser);
                throw Refuse(ErrorCodes.RateLimit, $"Too many connections for this user (at most {_limits.ConnectionsPerUser})");
            }
            state.HandshakeUser = user;
            await _sessions.RememberProfileAsync(user, cancellationToken).ConfigureAwait(false);
        }
        socket.Data = state;
    }

    /// <summary>A fresh per-socket state with its event limiter.</summary>
    public ConnectionState NewState() => new(new SlidingWindowLimiter(_limits.EventsPerWindow, _limits.EventWindow, _time));

    /// <summary>
    /// The token the client presented: <c>auth.token</c>, else the <c>token</c> query parameter, else an
    /// Authorization header; null when there is none. A non-string <c>auth.token</c> is malformed.
    /// </summary>
    public static string? FindToken(SocketIoHandshake handshake, out bool malformed)
    {
        malformed = false;
        if (handshake.Auth.ValueKind == JsonValueKind.Object && handshake.Auth.TryGetProperty("token", out var authToken))
        {
            if (authToken.ValueKind == JsonValueKind.String && !Validation.PayloadReader.TryGetText(authToken, out _))
            {
                // Not text at all (an unpaired surrogate): as malformed as a number would be.
                malformed = true;
                return null;
            }
            if (authToken.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(authToken.GetString())) return authToken.GetString();
            if (authToken.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                malformed = true;
                return null;
            }
        }
        string? query = handshake.Query["token"];
        if (!string.IsNullOrWhiteSpace(query)) return query;
        string? header = handshake.Headers.Authorization;
        if (!string.IsNullOrWhiteSpace(header) && header.StartsWith(TokenValidator.BearerPrefix, StringComparison.OrdinalIgnoreCase)) return header;
        return null;
    }

    private ConnectionRefusedException Refuse(string code, string message, int? retryAfter = null)
    {
        _counters.ConnectionRefused();
        return new ConnectionRefusedException(message, retryAfter is null ? new { code } : new { code, retryAfter });
    }
}
