namespace SocketIo;

/// <summary>Event names with a special meaning on either side, which applications cannot emit.</summary>
internal static class ReservedEvents
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener",
    };

    public static void ThrowIfReserved(string eventName)
    {
        ArgumentNullException.ThrowIfNull(eventName);
        if (Names.Contains(eventName)) throw new ArgumentException($"\"{eventName}\" is a reserved event name.", nameof(eventName));
    }
}
