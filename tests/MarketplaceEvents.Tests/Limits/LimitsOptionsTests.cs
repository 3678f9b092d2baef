using MarketplaceEvents.Configuration;

namespace MarketplaceEvents.Tests.Limits;

public sealed class LimitsOptionsTests
{
    [Fact]
    public void DefaultsAreThePublishedLimits()
    {
        var limits = new LimitsOptions();
        limits.EventsPerWindow.Should().Be(100);
        limits.EventWindow.Should().Be(TimeSpan.FromMinutes(1));
        limits.ConnectionsPerUser.Should().Be(100);
        limits.ConnectionsPerIp.Should().Be(10);
        limits.ConnectionWindow.Should().Be(TimeSpan.FromMinutes(1));
        limits.MaxUndeliveredNotifications.Should().Be(1000);
        limits.Validate().Should().BeEmpty();
    }

    [Fact]
    public void PayloadLimitsArePerEventWithADefault()
    {
        var limits = new LimitsOptions();
        limits.PayloadLimit("chat.send").Should().Be(64 * 1024);
        limits.PayloadLimit("chat.batch").Should().Be(512 * 1024);
        limits.PayloadLimit("presence.typing").Should().Be(16 * 1024);
    }

    [Fact]
    public void ValidationNamesEveryUnusableSetting()
    {
        var limits = new LimitsOptions { EventsPerWindow = 0, EventWindow = TimeSpan.Zero, ConnectionsPerIp = -1 };
        limits.PayloadBytes["chat.send"] = 10;
        limits.Validate().Should().HaveCount(4).And.Contain("Limits:PayloadBytes:chat.send must be at least 64.");
    }
}
