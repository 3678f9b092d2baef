using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Tests.Domain;

public sealed class OrderStatusTests
{
    public static TheoryData<string, string> Allowed => new()
    {
        { "pending", "confirmed" },
        { "confirmed", "processing" },
        { "processing", "shipped" },
        { "shipped", "delivered" },
        { "pending", "cancelled" },
        { "confirmed", "cancelled" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void AllowsTheFlowAndEarlyCancellation(string from, string to)
    {
        OrderStatus.CanMove(from, to).Should().BeTrue();
    }

    [Fact]
    public void RefusesEveryOtherTransition()
    {
        var allowed = Allowed.Select(row => ((string)row[0], (string)row[1])).ToHashSet();
        foreach (var from in OrderStatus.All)
        {
            foreach (var to in OrderStatus.All)
            {
                if (allowed.Contains((from, to))) continue;
                OrderStatus.CanMove(from, to).Should().BeFalse($"{from} → {to} is not in the status machine");
            }
        }
    }

    [Theory]
    [InlineData(0, 5, "out_of_stock")]
    [InlineData(1, 5, "low_stock")]
    [InlineData(5, 5, "low_stock")]
    [InlineData(6, 5, "in_stock")]
    [InlineData(1, 0, "in_stock")]
    public void StockStatusFollowsTheThreshold(int quantity, int threshold, string status)
    {
        var now = DateTimeOffset.UnixEpoch;
        new Listing("l", "p", "t", 1, "EUR", quantity, threshold, "available", "active", now, now).StockStatus.Should().Be(status);
    }
}
