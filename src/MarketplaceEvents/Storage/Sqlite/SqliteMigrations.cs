namespace MarketplaceEvents.Storage.Sqlite;

/// <summary>
/// The schema, version by version. A released migration is never edited: a change is a new version at the end.
/// Timestamps are ISO-8601 UTC text of fixed width (they sort as text); money is invariant decimal text.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<SqliteMigration> All =
    [
        new(1, "users, conversations and messages",
            """
            CREATE TABLE users (
                id         TEXT PRIMARY KEY,
                name       TEXT,
                avatar     TEXT,
                last_seen  TEXT
            );

            CREATE TABLE conversations (
                id         TEXT PRIMARY KEY,
                status     TEXT NOT NULL,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );

            CREATE TABLE conversation_participants (
                conversation_id TEXT NOT NULL REFERENCES conversations (id),
                user_id         TEXT NOT NULL,
                position        INTEGER NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            );
            CREATE INDEX conversation_participants_by_user ON conversation_participants (user_id);

            CREATE TABLE messages (
                seq               INTEGER PRIMARY KEY AUTOINCREMENT,
                id                TEXT NOT NULL UNIQUE,
                conversation_id   TEXT NOT NULL REFERENCES conversations (id),
                sender_id         TEXT NOT NULL,
                client_message_id TEXT,
                content           TEXT NOT NULL,
                attachments       TEXT NOT NULL,
                status            TEXT NOT NULL,
                created_at        TEXT NOT NULL,
                -- The idempotency of chat.send: one message per sender and client message id (NULLs never collide).
                UNIQUE (sender_id, client_message_id)
            );
            CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
            """),
        new(2, "listings and orders",
            """
            CREATE TABLE listings (
                id                  TEXT PRIMARY KEY,
                provider_id         TEXT NOT NULL,
                title               TEXT NOT NULL,
                price               TEXT NOT NULL,
                currency            TEXT NOT NULL,
                quantity            INTEGER NOT NULL CHECK (quantity >= 0),
                low_stock_threshold INTEGER NOT NULL,
                availability        TEXT NOT NULL,
                status              TEXT NOT NULL,
                created_at          TEXT NOT NULL,
                updated_at          TEXT NOT NULL
            );
            CREATE INDEX listings_by_provider ON listings (provider_id, created_at);

            CREATE TABLE listing_views (
                listing_id TEXT NOT NULL REFERENCES listings (id),
                user_id    TEXT NOT NULL,
                viewed_at  TEXT NOT NULL
            );
            CREATE INDEX listing_views_by_listing ON listing_views (listing_id, viewed_at);

            CREATE TABLE orders (
                id          TEXT PRIMARY KEY,
                listing_id  TEXT NOT NULL REFERENCES listings (id),
                buyer_id    TEXT NOT NULL,
                provider_id TEXT NOT NULL,
                quantity    INTEGER NOT NULL,
                unit_price  TEXT NOT NULL,
                currency    TEXT NOT NULL,
                status      TEXT NOT NULL,
                created_at  TEXT NOT NULL,
                updated_at  TEXT NOT NULL
            );

            CREATE TABLE order_payments (
                id             TEXT PRIMARY KEY,
                order_id       TEXT NOT NULL REFERENCES orders (id),
                status         TEXT NOT NULL,
                amount         TEXT NOT NULL,
                currency       TEXT NOT NULL,
                payment_method TEXT NOT NULL,
                transaction_id TEXT,
                created_at     TEXT NOT NULL
            );

            CREATE TABLE order_shipments (
                id                 TEXT PRIMARY KEY,
                order_id           TEXT NOT NULL REFERENCES orders (id),
                status             TEXT NOT NULL,
                carrier            TEXT,
                tracking_number    TEXT,
                estimated_delivery TEXT,
                location           TEXT,
                created_at         TEXT NOT NULL
            );
            """),
        new(3, "notifications",
            """
            CREATE TABLE notifications (
                seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                id         TEXT NOT NULL UNIQUE,
                user_id    TEXT,              -- NULL: a system notification, for everyone
                type       TEXT NOT NULL,
                title      TEXT NOT NULL,
                message    TEXT NOT NULL,
                priority   TEXT NOT NULL,
                metadata   TEXT,
                action     TEXT,
                expiry     TEXT,
                read       INTEGER NOT NULL DEFAULT 0,
                -- pending: waits for the user to connect; delivered; dropped: left the bounded queue unsent.
                delivery   TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
            CREATE INDEX notifications_pending ON notifications (user_id, seq) WHERE delivery = 'pending';
            """),
        new(4, "buying pools",
            """
            CREATE TABLE buying_pools (
                id                 TEXT PRIMARY KEY,
                listing_id         TEXT NOT NULL REFERENCES listings (id),
                provider_id        TEXT NOT NULL,
                target_quantity    INTEGER NOT NULL CHECK (target_quantity > 0),
                committed_quantity INTEGER NOT NULL,
                deadline           TEXT NOT NULL,
                status             TEXT NOT NULL,   -- open, completed
                created_at         TEXT NOT NULL,
                updated_at         TEXT NOT NULL
            );

            CREATE TABLE pool_commitments (
                seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                id         TEXT NOT NULL UNIQUE,
                pool_id    TEXT NOT NULL REFERENCES buying_pools (id),
                buyer_id   TEXT NOT NULL,
                quantity   INTEGER NOT NULL CHECK (quantity > 0),
                created_at TEXT NOT NULL,
                order_id   TEXT              -- the order placed when the pool closed
            );
            CREATE INDEX pool_commitments_by_pool ON pool_commitments (pool_id, seq);
            """),
    ];
}
