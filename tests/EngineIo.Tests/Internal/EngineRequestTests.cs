using EngineIo.Internal;
using Microsoft.AspNetCore.Http;

namespace EngineIo.Tests.Internal;

public sealed class EngineRequestTests
{
    private static EngineRequest Parse(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return EngineRequest.Parse(context);
    }

    [Fact]
    public void A_polling_request_with_a_sid_is_read_whole()
    {
        var request = Parse("?EIO=4&transport=polling&sid=abc&t=xyz");
        request.Protocol.Should().Be(4);
        request.Transport.Should().Be(EngineIoTransports.Polling);
        request.Sid.Should().Be("abc");
        request.IsWebSocketUpgrade.Should().BeFalse();
        request.Base64Only.Should().BeFalse();
    }

    [Fact]
    public void The_websocket_transport_is_recognised() => Parse("?EIO=4&transport=websocket").Transport.Should().Be(EngineIoTransports.WebSocket);

    [Fact]
    public void Protocol_3_is_recognised() => Parse("?EIO=3&transport=polling").Protocol.Should().Be(3);

    [Theory]
    [InlineData("?transport=polling")]
    [InlineData("?EIO=abc&transport=polling")]
    [InlineData("?EIO=&transport=polling")]
    [InlineData("?EIO=5&transport=polling")]
    [InlineData("?EIO=04&transport=polling")]
    public void A_missing_or_invalid_EIO_gives_no_protocol(string query) => Parse(query).Protocol.Should().BeNull();

    [Theory]
    [InlineData("?EIO=4")]
    [InlineData("?EIO=4&transport=")]
    [InlineData("?EIO=4&transport=abc")]
    [InlineData("?EIO=4&transport=__proto__")]
    [InlineData("?EIO=4&transport=constructor")]
    [InlineData("?EIO=4&transport=Polling")]
    [InlineData("?EIO=4&transport=webtransport")]
    public void Anything_but_the_exact_transport_names_is_no_transport(string query) => Parse(query).Transport.Should().Be(EngineIoTransports.None);

    [Fact]
    public void An_empty_sid_counts_as_no_sid() => Parse("?EIO=4&transport=polling&sid=").Sid.Should().BeNull();

    [Fact]
    public void The_b64_flag_is_noticed_whatever_its_value() => Parse("?EIO=3&transport=polling&b64=1").Base64Only.Should().BeTrue();

    [Fact]
    public void Percent_encoded_values_are_decoded() =>
        Parse("?EIO=%34&transport=%70olling&sid=a%2Bb").Should().Match<EngineRequest>(r => r.Protocol == 4 && r.Transport == EngineIoTransports.Polling && r.Sid == "a+b");

    [Fact]
    public void A_plus_in_a_value_reads_as_a_space() => Parse("?EIO=4&transport=polling&sid=a+b").Sid.Should().Be("a b");

    [Theory]
    [InlineData("?EIO=4&EIO=4&transport=polling")]
    [InlineData("?EIO=4&transport=polling&transport=polling")]
    public void A_parameter_given_twice_matches_nothing(string query)
    {
        var request = Parse(query);
        (request.Protocol is null || request.Transport == EngineIoTransports.None).Should().BeTrue();
    }

    [Fact]
    public void A_sid_given_twice_reads_as_both_values() => Parse("?EIO=4&transport=polling&sid=a&sid=b").Sid.Should().Be("a,b");

    [Fact]
    public void A_flag_without_a_value_counts() => Parse("?EIO=3&transport=polling&b64").Base64Only.Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("?&&=&")]
    public void An_empty_query_gives_nothing(string query)
    {
        var request = Parse(query);
        request.Should().Be(new EngineRequest(null, EngineIoTransports.None, null, false, false));
    }
}
