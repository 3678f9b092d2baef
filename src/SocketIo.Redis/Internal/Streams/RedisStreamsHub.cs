using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace SocketIo.Redis.Internal.Streams;

/// <summary>
/// What the streams adapters of one server share: the connection they publish on, and a reader for each stream their
/// namespaces write to (<see cref="RedisStreamReader"/>), made with the first adapter of that stream and stopped with
/// its last.
/// </summary>
internal sealed class RedisStreamsHub(RedisAdapterConnection connection, ConfigurationOptions readerConfiguration, RedisStreamsAdapterOptions options, ILogger logger)
{
    private readonly Dictionary<string, RedisStreamReader> _readers = new(StringComparer.Ordinal);

    public RedisAdapterConnection Connection { get; } = connection;

    public IDatabase Database => Connection.Multiplexer.GetDatabase();

    /// <summary>Registers <paramref name="adapter"/> with the reader of <paramref name="stream"/>, which it returns.</summary>
    public RedisStreamReader Register(RedisStreamsAdapter adapter, string stream)
    {
        Connection.AddUser();
        RedisStreamReader? reader;
        lock (_readers)
        {
            if (!_readers.TryGetValue(stream, out reader))
            {
                reader = new RedisStreamReader(stream, readerConfiguration, options, logger);
                _readers.Add(stream, reader);
            }
            reader.Add(adapter);
        }
        return reader;
    }

    public async ValueTask UnregisterAsync(RedisStreamsAdapter adapter, RedisStreamReader reader)
    {
        bool last;
        lock (_readers)
        {
            last = reader.Remove(adapter);
            if (last) _readers.Remove(reader.Stream);
        }
        if (last) await reader.StopAsync().ConfigureAwait(false);
        await Connection.ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The stream of a namespace: <see cref="RedisStreamsAdapterOptions.StreamName"/>, or with several streams
    /// <c>{StreamName}-{i}</c>, i the namespace name's hash modulo the count, as the npm package computes it (a Java
    /// string hash in 32-bit integers over UTF-16 code units; negative hashes give negative indexes, as there).
    /// </summary>
    public static string StreamOf(string namespaceName, RedisStreamsAdapterOptions options)
    {
        if (options.StreamCount == 1) return options.StreamName;
        var hash = 0;
        foreach (var c in namespaceName) hash = unchecked((hash * 31) + c);
        return options.StreamName + "-" + (hash % options.StreamCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
