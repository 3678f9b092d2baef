using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Tests.Domain;

public sealed class TimestampsTests
{
    [Fact]
    public void WritesUtcWithMillisecondsAsJavaScriptDoes()
    {
        var time = new DateTimeOffset(2030, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        Timestamps.ToIso(time).Should().Be("2030-05-06T05:08:09.123Z");
        Timestamps.Truncate(time).Should().Be(Timestamps.Parse(Timestamps.ToIso(time)));
    }

    [Theory]
    [InlineData("2030-05-06T05:08:09.123Z", "2030-05-06T05:08:09.123Z")]
    [InlineData("2030-05-06T05:08:09Z", "2030-05-06T05:08:09.000Z")]
    [InlineData("2030-05-06T07:08:09+02:00", "2030-05-06T05:08:09.000Z")]
    [InlineData("2030-05-06T05:08:09.1234567Z", "2030-05-06T05:08:09.123Z")]
    [InlineData("2030-05-06T05:08Z", "2030-05-06T05:08:00.000Z")]
    [InlineData("2030-05-06T05:08:09", "2030-05-06T05:08:09.000Z")]
    [InlineData("2030-05-06", "2030-05-06T00:00:00.000Z")]
    public void ReadsIsoTimestamps(string text, string normalized)
    {
        Timestamps.TryParse(text, out var time).Should().BeTrue();
        Timestamps.ToIso(time).Should().Be(normalized);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("06/05/2030")]
    [InlineData("2030-13-01")]
    [InlineData("msg_0123")]
    public void RefusesWhatIsNotAnIsoTimestamp(string text)
    {
        Timestamps.TryParse(text, out _).Should().BeFalse();
    }
}
