using Microsoft.AspNetCore.Http;

namespace EngineIo.Tests;

public sealed class EngineIoOptionsTests
{
    [Fact]
    public void The_defaults_are_those_of_the_reference_server()
    {
        var options = new EngineIoOptions();
        options.Path.Should().Be("/engine.io");
        options.PingInterval.Should().Be(TimeSpan.FromSeconds(25));
        options.PingTimeout.Should().Be(TimeSpan.FromSeconds(20));
        options.UpgradeTimeout.Should().Be(TimeSpan.FromSeconds(10));
        options.MaxHttpBufferSize.Should().Be(1_000_000);
        options.Transports.Should().Be(EngineIoTransports.Polling | EngineIoTransports.WebSocket);
        options.AllowUpgrades.Should().BeTrue();
        options.AllowEIO3.Should().BeFalse();
        options.AllowRequest.Should().BeNull();
        options.InitialPacket.Should().BeNull();
    }

    [Fact]
    public void Http_compression_is_on_with_a_1024_byte_threshold()
    {
        var options = new EngineIoOptions();
        options.HttpCompression.Should().NotBeNull();
        options.HttpCompression!.Threshold.Should().Be(1024);
    }

    [Fact]
    public void Per_message_deflate_cookie_and_cors_are_off()
    {
        var options = new EngineIoOptions();
        options.PerMessageDeflate.Should().BeNull();
        options.Cookie.Should().BeNull();
        options.Cors.Should().BeNull();
    }

    [Fact]
    public void The_cookie_defaults_to_io_on_the_root_path_httponly_and_lax()
    {
        var cookie = new EngineIoCookieOptions();
        cookie.Name.Should().Be("io");
        cookie.Path.Should().Be("/");
        cookie.HttpOnly.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteMode.Lax);
        cookie.Secure.Should().BeFalse();
    }

    [Fact]
    public void Per_message_deflate_has_a_1024_byte_threshold_and_no_context_takeover()
    {
        var deflate = new PerMessageDeflateOptions();
        deflate.Threshold.Should().Be(1024);
        deflate.ServerContextTakeover.Should().BeFalse();
    }

    [Theory]
    [InlineData("/socket.io/", "/socket.io")]
    [InlineData("/socket.io", "/socket.io")]
    [InlineData("/a/b//", "/a/b")]
    [InlineData("/", "/")]
    public void A_trailing_slash_of_the_path_is_dropped(string path, string expected) => new EngineIoOptions { Path = path }.Path.Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("engine.io")]
    public void A_path_must_start_with_a_slash(string path) =>
        FluentActions.Invoking(() => new EngineIoOptions { Path = path }).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Durations_must_be_positive(int milliseconds)
    {
        var value = TimeSpan.FromMilliseconds(milliseconds);
        var options = new EngineIoOptions();
        FluentActions.Invoking(() => options.PingInterval = value).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => options.PingTimeout = value).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => options.UpgradeTimeout = value).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Durations_must_fit_a_timer() =>
        FluentActions.Invoking(() => new EngineIoOptions { PingInterval = TimeSpan.FromDays(30) }).Should().Throw<ArgumentOutOfRangeException>();

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData(int.MaxValue + 1L)]
    public void The_buffer_size_must_be_between_1_and_int_max(long size) =>
        FluentActions.Invoking(() => new EngineIoOptions { MaxHttpBufferSize = size }).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void The_buffer_size_accepts_its_bounds()
    {
        new EngineIoOptions { MaxHttpBufferSize = 1 }.MaxHttpBufferSize.Should().Be(1);
        new EngineIoOptions { MaxHttpBufferSize = int.MaxValue }.MaxHttpBufferSize.Should().Be(int.MaxValue);
    }

    [Fact]
    public void Compression_thresholds_cannot_be_negative()
    {
        FluentActions.Invoking(() => new HttpCompressionOptions { Threshold = -1 }).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new PerMessageDeflateOptions { Threshold = -1 }).Should().Throw<ArgumentOutOfRangeException>();
        new HttpCompressionOptions { Threshold = 0 }.Threshold.Should().Be(0);
    }
}
