using MarketplaceEvents.Configuration;
using MarketplaceEvents.Presence;
using MarketplaceEvents.Realtime;
using MarketplaceEvents.Services;
using MarketplaceEvents.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MarketplaceEvents.Tests.Services;

/// <summary>The services over real SQLite stores in a temporary file, emitting into a <see cref="RecordingEmitter"/>.</summary>
internal sealed class ServiceFixture : IAsyncDisposable
{
    private ServiceFixture(TempDatabase temp, LimitsOptions limits)
    {
        Temp = temp;
        var db = temp.Database;
        Users = new SqliteUserStore(db);
        Conversations = new SqliteConversationStore(db);
        Messages = new SqliteMessageStore(db);
        Listings = new SqliteListingStore(db);
        Orders = new SqliteOrderStore(db);
        Notifications = new SqliteNotificationStore(db);
        ConversationService = new ConversationService(Conversations, Messages, Users, Emitter, Time);
        Chat = new ChatService(Conversations, Messages, Users, Emitter, Time);
        ListingService = new ListingService(Listings, Emitter, Time);
        NotificationService = new NotificationService(Notifications, Emitter, Options.Create(limits), Time, NullLogger<NotificationService>.Instance);
        OrderService = new OrderService(Orders, Listings, ListingService, NotificationService, Emitter, Time);
        Presence = new PresenceService(Conversations, Listings, Users, Registry, Emitter, Options.Create(new RealtimeOptions()), Time);
    }

    public TempDatabase Temp { get; }

    public RecordingEmitter Emitter { get; } = new();

    public ManualTimeProvider Time { get; } = new();

    public InMemoryPresenceRegistry Registry { get; } = new();

    public SqliteUserStore Users { get; }

    public SqliteConversationStore Conversations { get; }

    public SqliteMessageStore Messages { get; }

    public SqliteListingStore Listings { get; }

    public SqliteOrderStore Orders { get; }

    public SqliteNotificationStore Notifications { get; }

    public ConversationService ConversationService { get; }

    public ChatService Chat { get; }

    public ListingService ListingService { get; }

    public OrderService OrderService { get; }

    public NotificationService NotificationService { get; }

    public PresenceService Presence { get; }

    public static async Task<ServiceFixture> CreateAsync(LimitsOptions? limits = null) => new(await TempDatabase.CreateAsync(), limits ?? new LimitsOptions());

    public ValueTask DisposeAsync() => Temp.DisposeAsync();
}
