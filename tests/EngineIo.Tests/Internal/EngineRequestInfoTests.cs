using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace EngineIo.Tests.Internal;

public sealed class EngineRequestInfoTests
{
    private static EngineRequestInfo Snapshot(Action<HttpContext>? configure = null)
    {
        var context = new DefaultHttpContext();
        context.Request.PathBase = "/base";
        context.Request.Path = "/socket.io/";
        context.Request.QueryString = new QueryString("?EIO=4&transport=polling&token=a%20b&tag=x&tag=y");
        context.Request.Host = new HostString("example.test:8080");
        context.Request.Headers["User-Agent"] = "tests";
        context.Request.Headers["X-Many"] = new Microsoft.Extensions.Primitives.StringValues(["1", "2"]);
        configure?.Invoke(context);
        return new EngineRequestInfo(context, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void Headers_query_and_url_read_as_the_request_had_them()
    {
        var info = Snapshot();
        info.Headers["user-agent"].ToString().Should().Be("tests");
        info.Headers["X-Many"].ToArray().Should().Equal("1", "2");
        info.Query["token"].ToString().Should().Be("a b");
        info.Query["tag"].ToArray().Should().Equal("x", "y");
        info.Url.Should().Be("/base/socket.io/?EIO=4&transport=polling&token=a%20b&tag=x&tag=y");
        info.Host.Should().Be("example.test:8080");
        info.HasHeader("x-many").Should().BeTrue();
        info.HasHeader("Origin").Should().BeFalse();
        info.Headers.Should().BeSameAs(info.Headers, "the dictionary is built once");
    }

    [Fact]
    public void Snapshots_of_two_requests_share_the_strings_they_repeat_but_not_their_cookies()
    {
        // Each request brings its own copies (as Kestrel's do); the sessions keep one instance of each.
        static EngineRequestInfo Of(string cookie) => Snapshot(c =>
        {
            c.Request.Headers["User-Agent"] = new string("Mozilla/5.0 (X11; Linux x86_64)".AsSpan());
            c.Request.Headers["Cookie"] = new string(cookie.AsSpan());
        });
        var (first, second) = (Of("a=1"), Of("a=1"));

        second.Headers["User-Agent"].ToString().Should().BeSameAs(first.Headers["User-Agent"].ToString());
        second.Headers["Cookie"].ToString().Should().NotBeSameAs(first.Headers["Cookie"].ToString());
    }

    [Fact]
    public void The_snapshot_outlives_changes_to_the_recycled_request()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Id"] = "first";
        context.Request.QueryString = new QueryString("?a=1");
        var info = new EngineRequestInfo(context, DateTimeOffset.UnixEpoch);

        context.Request.Headers["X-Id"] = "second";
        context.Request.QueryString = new QueryString("?a=2");

        info.Headers["X-Id"].ToString().Should().Be("first");
        info.Query["a"].ToString().Should().Be("1");
    }

    [Fact]
    public void Without_authentication_the_user_is_anonymous()
    {
        var user = Snapshot().User;
        user.Identity.Should().NotBeNull();
        user.Identity!.IsAuthenticated.Should().BeFalse();
    }

    [Fact]
    public void An_authenticated_user_is_kept()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        Snapshot(context => context.User = principal).User.Should().BeSameAs(principal);
    }

    [Fact]
    public void An_empty_query_reads_as_empty() =>
        new EngineRequestInfo(new DefaultHttpContext(), DateTimeOffset.UnixEpoch).Query.Should().BeEmpty();
}
