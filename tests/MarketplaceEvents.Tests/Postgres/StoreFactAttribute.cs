using Xunit.Abstractions;
using Xunit.Sdk;

namespace MarketplaceEvents.Tests.Postgres;

/// <summary>
/// A fact of a store specification, written once in an abstract class and run by each database's subclass; in a
/// class marked <see cref="RequiresPostgresAttribute"/> it is reported skipped when PostgreSQL is missing here.
/// </summary>
[XunitTestCaseDiscoverer("MarketplaceEvents.Tests.Postgres.StoreFactDiscoverer", "MarketplaceEvents.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests: as plain facts, or skipped ones without PostgreSQL.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : SkippableFactDiscoverer(diagnosticMessageSink)
{
    protected override string? SkipReason(ITestClass testClass) =>
        IsMarked<RequiresPostgresAttribute>(testClass) ? PostgresServer.SkipReason : null;
}
