using MarketplaceEvents.Cluster;
using MarketplaceEvents.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MarketplaceEvents.Limits;

/// <summary>
/// The per-IP connection rate across the cluster: per address, a sorted set of the times of the connections granted
/// in the window (an exact sliding log, as the in-memory limiter keeps, bounded by the limit), checked and updated in
/// one script. Times are Redis's clock, so the nodes' clocks need not agree. While Redis is unreachable the limit is
/// not enforced (fail open): an outage must not lock every client out, and the per-user connection limit, which
/// does fail closed, still holds.
/// </summary>
internal sealed partial class RedisConnectionRateLimiter(RedisStateConnection redis, IOptions<LimitsOptions> limits, ILogger<RedisConnectionRateLimiter> logger)
    : IConnectionRateLimiter
{
    /// <summary>KEYS: the address's log. ARGV: limit, window (ms), a unique member. Returns 0 when granted, else the ms until a permit frees up.</summary>
    private const string Script =
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window)
          return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return tonumber(oldest[2]) + window - now
        """;

    private readonly int _limit = limits.Value.ConnectionsPerIp;
    private readonly long _windowMs = Math.Max(1, (long)limits.Value.ConnectionWindow.TotalMilliseconds);

    public async Task<(bool Acquired, TimeSpan RetryAfter)> TryAcquireAsync(string address, CancellationToken cancellationToken = default)
    {
        try
        {
            var wait = (long)await redis.Database.ScriptEvaluateAsync(Script, [RedisStateConnection.KeyPrefix + "ip:" + address], [_limit, _windowMs, Guid.NewGuid().ToString("N")])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return wait <= 0 ? (true, TimeSpan.Zero) : (false, TimeSpan.FromMilliseconds(wait));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotEnforced(logger, address, ex);
            return (true, TimeSpan.Zero);
        }
    }
}
