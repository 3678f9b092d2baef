using MarketplaceEvents.Tests.Postgres;

namespace SocketIo.Postgres.Tests;

/// <summary>
/// A test that needs PostgreSQL: skipped when it is not installed, except under <c>CI=true</c>, where it runs (and
/// fails) so that a missing PostgreSQL can never pass unnoticed.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.SkipReason is { } reason) Skip = reason;
    }
}
