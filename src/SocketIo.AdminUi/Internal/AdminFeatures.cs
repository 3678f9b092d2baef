namespace SocketIo.AdminUi.Internal;

/// <summary>The feature names of the admin UI's <c>config</c> event, in the npm package's order.</summary>
internal static class AdminFeatures
{
    public static string[] For(bool readOnly, AdminUiMode mode)
    {
        var features = new List<string>(9);
        // The commands, then the "M" ones (on many sockets at once), which every Socket.IO v4 server has.
        if (!readOnly) features.AddRange(["EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"]);
        features.Add("AGGREGATED_EVENTS");
        if (mode == AdminUiMode.Development) features.Add("ALL_EVENTS");
        return [.. features];
    }
}
