using MarketplaceEvents.Contracts;
using MarketplaceEvents.Contracts.Events;
using MarketplaceEvents.Realtime.Handlers;
using SocketIo;

namespace MarketplaceEvents.Realtime;

/// <summary>
/// The marketplace on the main namespace: every connection passes the <see cref="ConnectionGate"/>, then gets the
/// rate limit, the contract's handlers and its session (<see cref="SocketSessions"/>).
/// </summary>
internal sealed partial class MarketplaceHub(
    ConnectionGate gate,
    SocketSessions sessions,
    EventRouter router,
    IEnumerable<IEventHandlerGroup> handlerGroups,
    ILogger<MarketplaceHub> logger)
{
    public void Attach(SocketIoServer io)
    {
        io.Use(gate.CheckAsync);
        io.OnConnection(OnConnectionAsync);
    }

    private async Task OnConnectionAsync(SocketIoSocket socket)
    {
        // The gate sets the state, also for a socket resumed by connection state recovery (middlewares are not skipped
        // for those); a fresh one here is only a safety net.
        if (socket.Data is not ConnectionState state)
        {
            state = gate.NewState();
            socket.Data = state;
        }

        // Everything up to the first await runs before the library hands this socket its first events: the
        // handlers are in place and a handshake-authenticated socket is registered by then.
        sessions.Opened(socket, state);
        router.UseRateLimit(socket, state);
        foreach (var group in handlerGroups) group.Register(socket);

        if (state.HandshakeUser is not { } user) return;

        // The socket's events wait until it is registered and its missed notifications are replayed: taken before
        // the first await, so before any event can take it.
        state.Gate.Wait(0);
        try
        {
            var start = await sessions.TryBeginAsync(socket, state, user).ConfigureAwait(false);
            if (!start.Started)
            {
                socket.Emit(EventNames.Error, new ErrorEvent(start.ErrorCode!, start.ErrorMessage!));
                socket.Disconnect();
                return;
            }
            await sessions.CompleteAsync(socket, user, start.CameOnline).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (socket.DisconnectToken.IsCancellationRequested)
        {
            // Gone while being set up: the disconnect cleanup has run.
        }
        catch (Exception ex)
        {
            Log.SessionSetupFailed(logger, socket.Id, user.Id, ex);
        }
        finally
        {
            state.Gate.Release();
        }
    }
}
