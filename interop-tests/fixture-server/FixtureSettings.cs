using SocketIo;

namespace FixtureServer;

/// <summary>The fixture server's command line.</summary>
internal sealed record FixtureSettings(string Suite, int Port, bool Verbose, SocketIoParser Parser, bool Recovery, TimeSpan? RecoveryWindow, bool AllowEio3, bool DirectWebSockets, string? Redis = null, string RedisMode = "classic", int StreamCount = 1, bool ShardedPubSub = false, string? Postgres = null)
{
    /// <summary>Whether the node joins a cluster (through Redis or PostgreSQL).</summary>
    public bool Clustered => Redis is not null || Postgres is not null;

    public static FixtureSettings Parse(string[] args)
    {
        var suite = "engine.io";
        var port = 3000;
        var verbose = false;
        var parser = SocketIoParser.Json;
        var recovery = false;
        TimeSpan? recoveryWindow = null;
        var allowEio3 = false;
        var directWebSockets = false;
        string? redis = null;
        var redisMode = "classic";
        var streamCount = 1;
        var shardedPubSub = false;
        string? postgres = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--suite": suite = args[++i]; break;
                case "--port": port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--verbose": verbose = true; break;
                case "--parser": parser = ParseParser(args[++i]); break;
                case "--recovery": recovery = true; break;
                case "--recovery-window-ms":
                    recovery = true;
                    recoveryWindow = TimeSpan.FromMilliseconds(int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--allow-eio3": allowEio3 = true; break;
                case "--direct-websockets": directWebSockets = true; break;
                case "--redis": redis = args[++i]; break;
                case "--redis-mode": redisMode = args[++i]; break;
                case "--stream-count": streamCount = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--sharded-pubsub": shardedPubSub = true; break;
                case "--postgres": postgres = args[++i]; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        return new FixtureSettings(suite, port, verbose, parser, recovery, recoveryWindow, allowEio3, directWebSockets, redis, redisMode, streamCount, shardedPubSub, postgres);
    }

    private static SocketIoParser ParseParser(string name) => name switch
    {
        "json" => SocketIoParser.Json,
        "msgpack" => SocketIoParser.MsgPack,
        _ => throw new ArgumentException($"unknown parser '{name}' (expected json or msgpack)"),
    };
}
