namespace SocketIo.Adapters;

/// <summary>
/// What a socket leaves behind when its connection drops with connection state recovery on: enough to resume it
/// when its client comes back with <see cref="PrivateId"/>. Immutable.
/// </summary>
/// <param name="SocketId">The public socket id, given back to the resumed socket.</param>
/// <param name="PrivateId">The private session id the client presents to resume (the <c>pid</c> of the CONNECT reply).</param>
/// <param name="Rooms">The rooms the socket was in, its own room included.</param>
/// <param name="Data">The socket's <see cref="SocketIoSocket.Data"/>.</param>
/// <param name="DisconnectedAt">When the connection dropped: the session expires <see cref="ConnectionStateRecoveryOptions.MaxDisconnectionDuration"/> later.</param>
public sealed record PersistedSession(string SocketId, string PrivateId, IReadOnlyCollection<string> Rooms, object? Data, DateTimeOffset DisconnectedAt);
