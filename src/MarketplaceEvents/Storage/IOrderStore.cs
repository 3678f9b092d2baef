using MarketplaceEvents.Domain;

namespace MarketplaceEvents.Storage;

/// <summary>Orders, their payments and shipments. Stock moves together with the order that takes or returns it.</summary>
internal interface IOrderStore
{
    /// <summary>
    /// Stores an order and takes its quantity from the listing's stock in one transaction. Returns the listing as
    /// it is afterwards, or null (and stores nothing) when the stock is short.
    /// </summary>
    Task<Listing?> CreateAsync(Order order, CancellationToken cancellationToken = default);

    Task<Order?> GetAsync(string orderId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves an order from <paramref name="from"/> to <paramref name="to"/> if it still is in <paramref name="from"/>
    /// (false otherwise: another request moved it first). A cancellation returns the quantity to the listing's stock;
    /// the listing as it is afterwards is returned then.
    /// </summary>
    Task<(bool Moved, Listing? Restocked)> TransitionAsync(string orderId, string from, string to, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task AddPaymentAsync(Payment payment, CancellationToken cancellationToken = default);

    Task AddShipmentAsync(Shipment shipment, CancellationToken cancellationToken = default);
}
