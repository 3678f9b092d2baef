using MarketplaceEvents.Limits;

namespace MarketplaceEvents.Tests.Limits;

public sealed class SlidingWindowLimiterTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void GrantsTheLimitThenRefusesWithTheWaitUntilTheOldestGrantLeavesTheWindow()
    {
        var limiter = new SlidingWindowLimiter(3, TimeSpan.FromMinutes(1), _time);
        limiter.TryAcquire(out _).Should().BeTrue();
        _time.Advance(TimeSpan.FromSeconds(10));
        limiter.TryAcquire(out _).Should().BeTrue();
        limiter.TryAcquire(out _).Should().BeTrue();

        limiter.TryAcquire(out var wait).Should().BeFalse();
        wait.Should().Be(TimeSpan.FromSeconds(50));
        limiter.TryAcquire(out _).Should().BeFalse("refusals take no permit");
    }

    [Fact]
    public void SlidesRatherThanResettingAtAWindowBoundary()
    {
        var limiter = new SlidingWindowLimiter(2, TimeSpan.FromMinutes(1), _time);
        _time.Advance(TimeSpan.FromSeconds(50));
        limiter.TryAcquire(out _).Should().BeTrue();
        limiter.TryAcquire(out _).Should().BeTrue();

        // A fixed window would reset at 60 s and allow a second burst right away.
        _time.Advance(TimeSpan.FromSeconds(15));
        limiter.TryAcquire(out var wait).Should().BeFalse();
        wait.Should().Be(TimeSpan.FromSeconds(45));

        _time.Advance(TimeSpan.FromSeconds(45));
        limiter.TryAcquire(out _).Should().BeTrue();
        limiter.TryAcquire(out _).Should().BeTrue();
        limiter.TryAcquire(out _).Should().BeFalse();
    }

    [Fact]
    public void FreesOnePermitPerExpiredGrant()
    {
        var limiter = new SlidingWindowLimiter(2, TimeSpan.FromSeconds(10), _time);
        limiter.TryAcquire(out _).Should().BeTrue();
        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.TryAcquire(out _).Should().BeTrue();
        _time.Advance(TimeSpan.FromSeconds(5));
        limiter.TryAcquire(out _).Should().BeTrue("the first grant left the window");
        limiter.TryAcquire(out var wait).Should().BeFalse();
        wait.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void IsIdleOnceEveryGrantLeftTheWindow()
    {
        var limiter = new SlidingWindowLimiter(5, TimeSpan.FromSeconds(10), _time);
        limiter.IsIdle.Should().BeTrue();
        limiter.TryAcquire(out _);
        limiter.IsIdle.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(10));
        limiter.IsIdle.Should().BeTrue();
    }

    [Fact]
    public void GrantsExactlyTheLimitToConcurrentCallers()
    {
        var limiter = new SlidingWindowLimiter(100, TimeSpan.FromMinutes(1), _time);
        var granted = 0;
        Parallel.For(0, 1000, i =>
        {
            if (limiter.TryAcquire(out _)) Interlocked.Increment(ref granted);
        });
        granted.Should().Be(100);
    }

    [Theory]
    [InlineData(0.001, 1)]
    [InlineData(1.0, 1)]
    [InlineData(1.2, 2)]
    [InlineData(59.5, 60)]
    public void RetryAfterIsWholeSecondsRoundedUpAndAtLeastOne(double seconds, int expected)
    {
        RetryAfter.Seconds(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
    }
}
