using System.Security.Cryptography;
using System.Text.Json;
using MarketplaceEvents.Auth;
using Microsoft.IdentityModel.Tokens;

namespace MarketplaceEvents.Tests.Integration;

/// <summary>How a socket proves who it is, asserted on the raw frames the real service sends.</summary>
public sealed class SocketAuthenticationTests(AuthHostFixture fixture) : IClassFixture<AuthHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    private static JsonElement ConnectError(string reply)
    {
        reply.Should().StartWith("44");
        return JsonDocument.Parse(reply[2..]).RootElement;
    }

    [Fact]
    public async Task AcceptsABearerTokenInTheAuthPayload()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token("u1", "user")));
        await using var _ = client;
        reply.Should().StartWith("40{\"sid\":");
        await client.EmitAsync("presence.update", """{"status":"away"}""", ackId: 1);
        (await client.ReceiveStartingWithAsync("431")).Should().Be("""431[{"ok":true}]""");
    }

    [Fact]
    public async Task AcceptsATokenInTheQueryAndInTheAuthorizationHeader()
    {
        var token = MarketplaceHost.Token("u2", "user");
        var (byQuery, queryReply) = await RawSocketClient.ConnectAsync(_host, query: "&token=" + token);
        await using var _ = byQuery;
        queryReply.Should().StartWith("40{\"sid\":");

        var (byHeader, headerReply) = await RawSocketClient.ConnectAsync(_host, authorizationHeader: "Bearer " + token);
        await using var __ = byHeader;
        headerReply.Should().StartWith("40{\"sid\":");
        await byHeader.EmitAsync("presence.update", """{"status":"online"}""", ackId: 7);
        (await byHeader.ReceiveStartingWithAsync("437")).Should().Be("""437[{"ok":true}]""");
    }

    [Theory]
    [InlineData("expired", "Authentication token expired")]
    [InlineData("bad signature", "Authentication token signature is invalid")]
    [InlineData("malformed", "Malformed authentication token")]
    [InlineData("not a string", "Malformed authentication token")]
    public async Task RefusesABadTokenWithConnectErrorCarryingTheCode(string kind, string message)
    {
        var auth = kind switch
        {
            "expired" => RawSocketClient.BearerAuth(MarketplaceHost.Token("u3", "user", TimeSpan.FromSeconds(-5))),
            "bad signature" => RawSocketClient.BearerAuth(DevelopmentTokens.Mint(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), "u3", "n", "user", DateTimeOffset.UtcNow.AddHours(1))),
            "malformed" => RawSocketClient.BearerAuth("abc.def.ghi"),
            _ => """{"token":12345}""",
        };
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, auth);
        await using var _ = client;
        var error = ConnectError(reply);
        error.GetProperty("message").GetString().Should().Be(message);
        error.GetProperty("data").GetRawText().Should().Be("""{"code":"AUTH_FAILED"}""");
    }

    [Fact]
    public async Task RefusesATokenWithAnUnpairedSurrogateWithAuthFailed()
    {
        // What socket.io-client sends for auth: { token: "a\ud800b" } (JSON.stringify escapes the lone surrogate): valid
        // JSON, but no .NET string. A refusal with the code, not "Internal server error" without one.
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, """{"token":"a\ud800b"}""");
        await using var _ = client;
        var error = ConnectError(reply);
        error.GetProperty("message").GetString().Should().Be("Malformed authentication token");
        error.GetProperty("data").GetRawText().Should().Be("""{"code":"AUTH_FAILED"}""");

        // The refusal leaves the connection usable: the client may try again with a good token.
        (await client.JoinAsync(RawSocketClient.BearerAuth(MarketplaceHost.Token("u-surrogate", "user")))).Should().StartWith("40{\"sid\":");
    }

    [Fact]
    public async Task AcceptsAnAuthEventAfterConnectingWithoutAToken()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host);
        await using var _ = client;
        reply.Should().StartWith("40{\"sid\":");
        await client.EmitAsync("presence.update", """{"status":"away"}""", ackId: 1);
        (await client.ReceiveStartingWithAsync("42")).Should().Contain("\"code\":\"AUTH_FAILED\"");
        (await client.ReceiveStartingWithAsync("431")).Should().Contain("\"ok\":false").And.Contain("AUTH_FAILED");

        await client.EmitAsync("auth", $$"""{"token":"{{MarketplaceHost.Token("u4", "provider", name: "Pat")}}"}""", ackId: 2);
        (await client.ReceiveStartingWithAsync("432")).Should().Be("""432[{"ok":true,"user":{"id":"u4","name":"Pat","role":"provider"}}]""");
        await client.EmitAsync("presence.update", """{"status":"away"}""", ackId: 3);
        (await client.ReceiveStartingWithAsync("433")).Should().Be("""433[{"ok":true}]""");
    }

    [Fact]
    public async Task EndsTheSessionWhenTheTokenExpires()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token("u5", "user", TimeSpan.FromSeconds(3))));
        await using var _ = client;
        reply.Should().StartWith("40");
        // exp has whole seconds: the token lives 2 to 3 s.
        (await client.ReceiveStartingWithAsync("42", TimeSpan.FromSeconds(6))).Should().Be("""42["error",{"code":"AUTH_FAILED","message":"Authentication token expired"}]""");
        (await client.ReceiveAsync()).Should().Be("41");
    }
}

/// <summary>The deadline of a socket that connected without a token.</summary>
public sealed class AuthDeadlineTests(ShortAuthDeadlineHostFixture fixture) : IClassFixture<ShortAuthDeadlineHostFixture>
{
    private readonly MarketplaceHost _host = fixture.Host;

    [Fact]
    public async Task HoldsNoAuthenticatedSocketToTheDeadline()
    {
        var (client, reply) = await RawSocketClient.ConnectAsync(_host, RawSocketClient.BearerAuth(MarketplaceHost.Token("in-time", "user")));
        await using var _ = client;
        reply.Should().StartWith("40{");
        (await client.ClosedAsync(TimeSpan.FromSeconds(1))).Should().BeFalse();
        await client.EmitAsync("presence.update", """{"status":"away"}""", ackId: 1);
        (await client.ReceiveStartingWithAsync("431")).Should().Be("""431[{"ok":true}]""");
    }

    [Fact]
    public async Task DisconnectsASocketThatMissesTheAuthenticationDeadline()
    {
        var (client, _) = await RawSocketClient.ConnectAsync(_host);
        await using var __ = client;
        var error = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
        error.Should().StartWith("42[\"error\",{\"code\":\"AUTH_FAILED\",\"message\":\"Authentication timed out");
        (await client.ReceiveAsync()).Should().Be("41", "a namespace DISCONNECT follows");
    }
}

/// <summary>RS256: a service configured with a public key accepts tokens signed by its private key.</summary>
public sealed class Rs256AuthenticationTests
{
    [Fact]
    public async Task AcceptsAnRs256TokenWhenAPublicKeyIsConfigured()
    {
        using var rsa = RSA.Create(2048);
        var keyPath = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyPath, rsa.ExportSubjectPublicKeyInfoPem());
        try
        {
            await using var host = await MarketplaceHost.StartAsync(("Auth:PublicKeyPath", keyPath));
            var token = DevelopmentTokens.Mint(new RsaSecurityKey(rsa), "rsa-user", "Rsa", "user", DateTimeOffset.UtcNow.AddHours(1));
            var (client, reply) = await RawSocketClient.ConnectAsync(host, RawSocketClient.BearerAuth(token));
            await using var _ = client;
            reply.Should().StartWith("40{\"sid\":");
        }
        finally
        {
            File.Delete(keyPath);
        }
    }
}
