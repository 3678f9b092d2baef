using SocketIo.Internal.Protocol;

namespace SocketIo;

/// <summary>
/// Emits to one socket with flags (timeout, volatile, compression). Immutable: each flag method returns a new
/// emitter, so flags never leak from one emit to the next.
/// </summary>
public sealed class SocketEmitter
{
    private readonly SocketIoSocket _socket;
    private readonly bool _compress;
    private readonly bool _volatile;
    private readonly TimeSpan? _timeout;

    internal SocketEmitter(SocketIoSocket socket, bool Compress, bool Volatile, TimeSpan? Timeout)
    {
        _socket = socket;
        _compress = Compress;
        _volatile = Volatile;
        _timeout = Timeout;
    }

    /// <summary>The same emitter, with acknowledgements timing out after <paramref name="timeout"/>.</summary>
    public SocketEmitter Timeout(TimeSpan timeout) => new(_socket, _compress, _volatile, timeout);

    /// <summary>The same emitter, dropping packets the client cannot take right now.</summary>
    public SocketEmitter Volatile => new(_socket, _compress, Volatile: true, _timeout);

    /// <summary>The same emitter, with compression allowed or not.</summary>
    public SocketEmitter Compress(bool compress) => new(_socket, compress, _volatile, _timeout);

    /// <summary>Emits an event to the socket's client.</summary>
    public bool Emit(string eventName, params object?[] args)
    {
        Send(eventName, args, ackId: null);
        return true;
    }

    /// <summary>Emits an event and waits for the acknowledgement; returns its first argument.</summary>
    /// <exception cref="SocketIoAckTimeoutException">The timeout passed first.</exception>
    /// <exception cref="IOException">The socket disconnected first.</exception>
    public async Task<T?> EmitWithAckAsync<T>(string eventName, params object?[] args)
    {
        var response = await EmitWithAckAsync(eventName, args, CancellationToken.None).ConfigureAwait(false);
        return response.Get<T>(0);
    }

    /// <summary>Emits an event and waits for the acknowledgement's arguments.</summary>
    public Task<SocketIoArguments> EmitWithAckAsync(string eventName, object?[] args, CancellationToken cancellationToken = default)
    {
        // Before anything is registered: a refused name must not leave a pending acknowledgement and its timer behind.
        ReservedEvents.ThrowIfReserved(eventName);
        var id = _socket.Namespace.NextAckId();
        var completion = new TaskCompletionSource<SocketIoArguments>(TaskCreationOptions.RunContinuationsAsynchronously);
        ITimer? timer = null;
        CancellationTokenRegistration registration = default;

        _socket.RegisterAck(id, response =>
        {
            timer?.Dispose();
            registration.Dispose();
            if (response is null) completion.TrySetException(new IOException("The socket disconnected before it acknowledged the event."));
            else completion.TrySetResult(response);
        });

        if (_timeout is { } timeout)
        {
            timer = _socket.Namespace.Server.TimeProvider.CreateTimer(_ =>
            {
                if (_socket.RemoveAck(id)) _socket.Namespace.Server.Metrics.AckTimedOut();
                completion.TrySetException(new SocketIoAckTimeoutException([]));
            }, null, timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }

        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.Register(() =>
            {
                _socket.RemoveAck(id);
                completion.TrySetCanceled(cancellationToken);
            });
        }

        if (!_socket.Connected) _socket.RemoveAck(id);
        Send(eventName, args, id);
        if (!_socket.Connected) completion.TrySetException(new IOException("The socket is disconnected."));
        return completion.Task;
    }

    private void Send(string eventName, object?[] args, long? ackId)
    {
        ReservedEvents.ThrowIfReserved(eventName);
        var server = _socket.Namespace.Server;
        var (json, attachments) = server.Serializer.SerializeArray(eventName, args);
        var type = attachments.Count > 0 ? PacketType.BinaryEvent : PacketType.Event;
        _socket.NotifyOutgoing(eventName, args);
        _socket.SendEvent(new SocketIoPacket(type, _socket.Namespace.Name, ackId, json, attachments), _compress, _volatile);
    }
}
