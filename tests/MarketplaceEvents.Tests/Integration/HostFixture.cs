namespace MarketplaceEvents.Tests.Integration;

/// <summary>One running service shared by the tests of a class (xunit class fixture); subclasses choose its settings.</summary>
public abstract class HostFixture : IAsyncLifetime
{
    internal MarketplaceHost Host { get; private set; } = null!;

    protected virtual (string Key, string Value)[] Settings => [];

    public async Task InitializeAsync() => Host = await MarketplaceHost.StartAsync(Settings);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AuthHostFixture : HostFixture;

/// <summary>A deadline for the <c>auth</c> event short enough to wait for.</summary>
public sealed class ShortAuthDeadlineHostFixture : HostFixture
{
    protected override (string Key, string Value)[] Settings => [("Auth:AuthEventTimeout", "00:00:00.300")];
}

public sealed class EventsHostFixture : HostFixture
{
    protected override (string Key, string Value)[] Settings =>
    [
        ("Limits:EventsPerWindow", "5"),
        ("Limits:EventWindow", "00:01:00"),
        ("Limits:ConnectionsPerUser", "2"),
    ];
}

/// <summary>The default settings, but for an application-level ping every 200 ms (nothing else reads raw frames there).</summary>
public sealed class DefaultHostFixture : HostFixture
{
    protected override (string Key, string Value)[] Settings => [("Realtime:AppPingInterval", "00:00:00.200")];
}
