using MarketplaceEvents.Cluster;
using MarketplaceEvents.Configuration;
using MarketplaceEvents.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using SocketIo.Redis.Tests;

namespace MarketplaceEvents.Tests.Limits;

/// <summary>The per-IP connection rate in Redis, shared by every limiter (node) on the same Redis.</summary>
public sealed class RedisConnectionRateLimiterTests
{
    [RedisFact]
    public async Task Limiters_on_one_redis_share_a_sliding_window_per_address()
    {
        await using var redis = await RedisProcess.StartAsync();
        using var first = new RedisStateConnection(redis.Configuration);
        using var second = new RedisStateConnection(redis.Configuration);
        var window = TimeSpan.FromMilliseconds(600);
        var (a, b) = (Limiter(first, 3, window), Limiter(second, 3, window));

        (await a.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue();
        (await b.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue();
        (await a.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue();
        var refused = await b.TryAcquireAsync("10.0.0.1");
        refused.Acquired.Should().BeFalse("three were granted in the window, on either node");
        refused.RetryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(window);
        (await b.TryAcquireAsync("10.0.0.2")).Acquired.Should().BeTrue("each address has its own window");

        // Once the oldest grant leaves the window, one more fits (and only one).
        await Task.Delay(refused.RetryAfter + TimeSpan.FromMilliseconds(20));
        (await a.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue();
    }

    [RedisFact]
    public async Task Lets_connections_through_while_redis_is_unreachable()
    {
        await using var redis = await RedisProcess.StartAsync();
        using var connection = new RedisStateConnection(redis.Configuration);
        var limiter = Limiter(connection, 1, TimeSpan.FromMinutes(1));
        (await limiter.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue();
        (await limiter.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeFalse();

        await redis.StopAsync();
        (await limiter.TryAcquireAsync("10.0.0.1")).Acquired.Should().BeTrue("an outage must not lock every client out");
    }

    private static RedisConnectionRateLimiter Limiter(RedisStateConnection connection, int limit, TimeSpan window) =>
        new(connection, Microsoft.Extensions.Options.Options.Create(new LimitsOptions { ConnectionsPerIp = limit, ConnectionWindow = window }),
            NullLogger<RedisConnectionRateLimiter>.Instance);
}
