using System.Net;
using System.Net.Sockets;

namespace Bench;

/// <summary>
/// Opens client TCP connections to the server on loopback. Beyond one source address's ephemeral ports (about
/// 28,000), connections are spread over 127.0.0.1, 127.0.0.2, ... with the port chosen at connect time
/// (IP_BIND_ADDRESS_NO_PORT), so each source address has its own port range.
/// </summary>
internal sealed class Connector
{
    // Linux: SOL_IP and IP_BIND_ADDRESS_NO_PORT.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;
    private static readonly byte[] One = BitConverter.GetBytes(1);

    private readonly IPEndPoint _server;
    private readonly int _sourceAddresses;
    private int _next;

    public Connector(int port, int sourceAddresses)
    {
        _server = new IPEndPoint(IPAddress.Loopback, port);
        _sourceAddresses = Math.Max(1, sourceAddresses);
        Port = port;
    }

    public int Port { get; }

    /// <summary>The number of source addresses needed for <paramref name="connections"/> at once.</summary>
    public static int SourceAddressesFor(int connections) => connections <= 25_000 ? 1 : (connections + 24_999) / 25_000;

    public async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (_sourceAddresses > 1)
            {
                var index = (uint)Interlocked.Increment(ref _next) % (uint)_sourceAddresses;
                socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, One);
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(1 + index)]), 0));
            }
            await socket.ConnectAsync(_server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
