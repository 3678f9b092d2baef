namespace SocketIo.Internal;

/// <summary>Calls a registered handler, whatever its signature, for one event of <paramref name="socket"/>.</summary>
internal delegate Task EventInvoker(Delegate handler, SocketIoEvent e, SocketIoSocket socket);

/// <summary>
/// One handler registered with <see cref="SocketIoSocket.On(string, Func{SocketIoEvent, Task})"/> or an overload. The
/// application's delegate is kept as it came, beside a shared static invoker for its signature: wrapping it in a
/// closure would cost two objects per handler per socket.
/// </summary>
internal readonly record struct EventHandlerEntry(string Name, Delegate Handler, EventInvoker Invoke);
