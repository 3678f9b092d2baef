using MarketplaceEvents.Domain;
using Npgsql;

namespace MarketplaceEvents.Storage.Postgres;

internal sealed class PostgresOrderStore(PostgresDatabase database) : IOrderStore
{
    private const string Columns = "id, listing_id, buyer_id, provider_id, quantity, unit_price, currency, status, created_at, updated_at";

    public async Task<Listing?> CreateAsync(Order order, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.InTransactionAsync(async () =>
        {
            var taken = await connection.ExecuteAsync(
                "UPDATE listings SET quantity = quantity - @quantity, updated_at = @at WHERE id = @listing AND quantity >= @quantity",
                cancellationToken, ("@listing", order.ListingId), ("@quantity", order.Quantity), ("@at", order.CreatedAt)).ConfigureAwait(false);
            if (taken == 0) return null;
            await connection.ExecuteAsync(
                $"""
                INSERT INTO orders ({Columns})
                VALUES (@id, @listing, @buyer, @provider, @quantity, @price, @currency, @status, @created, @updated)
                """,
                cancellationToken, ("@id", order.Id), ("@listing", order.ListingId), ("@buyer", order.BuyerId), ("@provider", order.ProviderId),
                ("@quantity", order.Quantity), ("@price", order.UnitPrice), ("@currency", order.Currency), ("@status", order.Status),
                ("@created", order.CreatedAt), ("@updated", order.UpdatedAt)).ConfigureAwait(false);
            return await PostgresListingStore.GetAsync(connection, order.ListingId, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Order?> GetAsync(string orderId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync($"SELECT {Columns} FROM orders WHERE id = @id", Read, cancellationToken, ("@id", orderId)).ConfigureAwait(false);
        return rows.SingleOrDefault();
    }

    public async Task<(bool Moved, Listing? Restocked)> TransitionAsync(string orderId, string from, string to, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.InTransactionAsync<(bool, Listing?)>(async () =>
        {
            // The status in the WHERE clause makes the check and the change one step: a concurrent change wins once.
            var moved = await connection.ExecuteAsync(
                "UPDATE orders SET status = @to, updated_at = @at WHERE id = @id AND status = @from",
                cancellationToken, ("@id", orderId), ("@from", from), ("@to", to), ("@at", at)).ConfigureAwait(false);
            if (moved == 0) return (false, null);
            if (to != OrderStatus.Cancelled) return (true, null);

            var listingIds = await connection.QueryAsync(
                "UPDATE listings SET quantity = quantity + (SELECT quantity FROM orders WHERE id = @id), updated_at = @at " +
                "WHERE id = (SELECT listing_id FROM orders WHERE id = @id) RETURNING id",
                r => r.GetString(0), cancellationToken, ("@id", orderId), ("@at", at)).ConfigureAwait(false);
            var listing = listingIds.Count == 1 ? await PostgresListingStore.GetAsync(connection, listingIds[0], cancellationToken).ConfigureAwait(false) : null;
            return (true, listing);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task AddPaymentAsync(Payment payment, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO order_payments (id, order_id, status, amount, currency, payment_method, transaction_id, created_at)
            VALUES (@id, @order, @status, @amount, @currency, @method, @transaction, @at)
            """,
            cancellationToken, ("@id", payment.Id), ("@order", payment.OrderId), ("@status", payment.Status), ("@amount", payment.Amount),
            ("@currency", payment.Currency), ("@method", payment.PaymentMethod), ("@transaction", payment.TransactionId),
            ("@at", payment.CreatedAt)).ConfigureAwait(false);
    }

    public async Task AddShipmentAsync(Shipment shipment, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            """
            INSERT INTO order_shipments (id, order_id, status, carrier, tracking_number, estimated_delivery, location, created_at)
            VALUES (@id, @order, @status, @carrier, @tracking, @estimated, @location, @at)
            """,
            cancellationToken, ("@id", shipment.Id), ("@order", shipment.OrderId), ("@status", shipment.Status), ("@carrier", shipment.Carrier),
            ("@tracking", shipment.TrackingNumber), ("@estimated", shipment.EstimatedDelivery), ("@location", shipment.Location),
            ("@at", shipment.CreatedAt)).ConfigureAwait(false);
    }

    private static Order Read(NpgsqlDataReader r) => new(
        Id: r.GetString(0),
        ListingId: r.GetString(1),
        BuyerId: r.GetString(2),
        ProviderId: r.GetString(3),
        Quantity: r.GetInt32(4),
        UnitPrice: r.GetDecimal(5),
        Currency: r.GetString(6),
        Status: r.GetString(7),
        CreatedAt: r.GetTimestamp(8),
        UpdatedAt: r.GetTimestamp(9));
}
