namespace MarketplaceEvents.Tests.Postgres;

/// <summary>
/// Marks a test class whose <see cref="StoreFactAttribute"/> tests need the test run's PostgreSQL: they are skipped
/// when it is not installed, unless <c>CI=true</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;
