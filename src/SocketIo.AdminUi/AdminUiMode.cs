namespace SocketIo.AdminUi;

/// <summary>How much the admin UI is told (the npm package's <c>mode</c> option).</summary>
public enum AdminUiMode
{
    /// <summary>
    /// Everything: the list of sockets, their connections, rooms and disconnections, and every event sent and
    /// received (feature <c>ALL_EVENTS</c>). The reference's default outside <c>NODE_ENV=production</c>.
    /// </summary>
    Development,

    /// <summary>Only the servers' statistics, every 2 seconds: cheaper on a busy server.</summary>
    Production,
}
