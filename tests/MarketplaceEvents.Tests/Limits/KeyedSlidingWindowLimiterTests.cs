using MarketplaceEvents.Limits;

namespace MarketplaceEvents.Tests.Limits;

public sealed class KeyedSlidingWindowLimiterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void LimitsEachKeyOnItsOwn()
    {
        var limiter = new KeyedSlidingWindowLimiter(2, TimeSpan.FromMinutes(1), _time);
        limiter.TryAcquire("10.0.0.1", out _).Should().BeTrue();
        limiter.TryAcquire("10.0.0.1", out _).Should().BeTrue();
        limiter.TryAcquire("10.0.0.1", out var wait).Should().BeFalse();
        wait.Should().Be(TimeSpan.FromMinutes(1));
        limiter.TryAcquire("10.0.0.2", out _).Should().BeTrue();
    }

    [Fact]
    public void ForgetsIdleKeysSoMemoryFollowsRecentClientsOnly()
    {
        var limiter = new KeyedSlidingWindowLimiter(1, TimeSpan.FromMinutes(1), _time);
        for (var i = 0; i < 1024; i++) limiter.TryAcquire("old-" + i, out _);
        limiter.Count.Should().Be(1024);

        _time.Advance(TimeSpan.FromMinutes(1));
        limiter.TryAcquire("new", out _).Should().BeTrue();
        limiter.Count.Should().Be(1, "the idle keys were swept when the table was full");
    }

    [Fact]
    public void KeepsKeysThatAreStillLimitedWhenSweeping()
    {
        var limiter = new KeyedSlidingWindowLimiter(1, TimeSpan.FromMinutes(1), _time);
        limiter.TryAcquire("busy", out _);
        for (var i = 0; i < 1023; i++) limiter.TryAcquire("old-" + i, out _);
        limiter.TryAcquire("trigger", out _);
        limiter.TryAcquire("busy", out _).Should().BeFalse("the sweep must not forget a key whose window is still full");
    }
}
