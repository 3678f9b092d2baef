namespace SocketIo.AdminUi;

/// <summary>
/// Keeps the session ids handed to UIs that logged in, so that they reconnect with <c>{ sessionId }</c> instead of
/// the password (the npm package's <c>store</c>). Share one store between the nodes of a cluster.
/// </summary>
public interface IAdminUiSessionStore
{
    /// <summary>Whether <paramref name="sessionId"/> was saved and has not expired.</summary>
    ValueTask<bool> ExistsAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Saves a new session id.</summary>
    ValueTask SaveAsync(string sessionId, CancellationToken cancellationToken);
}
