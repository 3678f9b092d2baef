using SocketIo.Redis.Tests;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MarketplaceEvents.Tests.Presence;

/// <summary>
/// A fact of the <see cref="MarketplaceEvents.Presence.IPresenceRegistry"/> specification, written once and run by
/// each implementation's subclass; in a class marked <see cref="RequiresRedisAttribute"/> it is reported skipped when
/// redis-server is missing here (never under <c>CI=true</c>, where it runs and fails).
/// </summary>
[XunitTestCaseDiscoverer("MarketplaceEvents.Tests.Presence.PresenceFactDiscoverer", "MarketplaceEvents.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class PresenceFactAttribute : FactAttribute;

/// <summary>Marks a test class whose <see cref="PresenceFactAttribute"/> tests need redis-server.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresRedisAttribute : Attribute;

/// <summary>Discovers <see cref="PresenceFactAttribute"/> tests: as plain facts, or skipped ones without redis-server.</summary>
public sealed class PresenceFactDiscoverer(IMessageSink diagnosticMessageSink) : SkippableFactDiscoverer(diagnosticMessageSink)
{
    protected override string? SkipReason(ITestClass testClass) =>
        IsMarked<RequiresRedisAttribute>(testClass) && RedisProcess.Program is null && Environment.GetEnvironmentVariable("CI") != "true"
            ? "redis-server is not installed (scripts/test.sh installs it; under CI=true this test fails instead)."
            : null;
}
