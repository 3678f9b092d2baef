namespace MarketplaceEvents.Storage.Postgres;

/// <summary>
/// The schema, version by version, with the same versions and names as <see cref="Sqlite.SqliteMigrations"/> (a test
/// holds the two lists together): a new table is a new version at the end of both. A released migration is never
/// edited. Native types here: timestamptz, numeric money, boolean, jsonb; ids that the service sorts by are
/// byte-ordered (<c>COLLATE "C"</c>), as in SQLite, whatever the database's locale.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<PostgresMigration> All =
    [
        new(1, "users, conversations and messages",
            """
            CREATE TABLE users (
                id         text PRIMARY KEY,
                name       text,
                avatar     text,
                last_seen  timestamptz
            );

            CREATE TABLE conversations (
                id         text COLLATE "C" PRIMARY KEY,
                status     text NOT NULL,
                created_by text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );

            CREATE TABLE conversation_participants (
                conversation_id text COLLATE "C" NOT NULL REFERENCES conversations (id),
                user_id         text COLLATE "C" NOT NULL,
                position        integer NOT NULL,
                PRIMARY KEY (conversation_id, user_id)
            );
            CREATE INDEX conversation_participants_by_user ON conversation_participants (user_id);

            CREATE TABLE messages (
                seq               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id                text NOT NULL UNIQUE,
                conversation_id   text COLLATE "C" NOT NULL REFERENCES conversations (id),
                sender_id         text NOT NULL,
                client_message_id text,
                content           text NOT NULL,
                attachments       jsonb NOT NULL,
                status            text NOT NULL,
                created_at        timestamptz NOT NULL,
                -- The idempotency of chat.send: one message per sender and client message id (NULLs never collide).
                UNIQUE (sender_id, client_message_id)
            );
            CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
            """),
        new(2, "listings and orders",
            """
            CREATE TABLE listings (
                id                  text COLLATE "C" PRIMARY KEY,
                provider_id         text NOT NULL,
                title               text NOT NULL,
                price               numeric NOT NULL,
                currency            text NOT NULL,
                quantity            integer NOT NULL CHECK (quantity >= 0),
                low_stock_threshold integer NOT NULL,
                availability        text NOT NULL,
                status              text NOT NULL,
                created_at          timestamptz NOT NULL,
                updated_at          timestamptz NOT NULL
            );
            CREATE INDEX listings_by_provider ON listings (provider_id, created_at);

            CREATE TABLE listing_views (
                listing_id text COLLATE "C" NOT NULL REFERENCES listings (id),
                user_id    text NOT NULL,
                viewed_at  timestamptz NOT NULL
            );
            CREATE INDEX listing_views_by_listing ON listing_views (listing_id, viewed_at);

            CREATE TABLE orders (
                id          text PRIMARY KEY,
                listing_id  text COLLATE "C" NOT NULL REFERENCES listings (id),
                buyer_id    text NOT NULL,
                provider_id text NOT NULL,
                quantity    integer NOT NULL,
                unit_price  numeric NOT NULL,
                currency    text NOT NULL,
                status      text NOT NULL,
                created_at  timestamptz NOT NULL,
                updated_at  timestamptz NOT NULL
            );

            CREATE TABLE order_payments (
                id             text PRIMARY KEY,
                order_id       text NOT NULL REFERENCES orders (id),
                status         text NOT NULL,
                amount         numeric NOT NULL,
                currency       text NOT NULL,
                payment_method text NOT NULL,
                transaction_id text,
                created_at     timestamptz NOT NULL
            );

            CREATE TABLE order_shipments (
                id                 text PRIMARY KEY,
                order_id           text NOT NULL REFERENCES orders (id),
                status             text NOT NULL,
                carrier            text,
                tracking_number    text,
                estimated_delivery timestamptz,
                location           text,
                created_at         timestamptz NOT NULL
            );
            """),
        new(3, "notifications",
            """
            CREATE TABLE notifications (
                seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id         text NOT NULL UNIQUE,
                user_id    text,              -- NULL: a system notification, for everyone
                type       text NOT NULL,
                title      text NOT NULL,
                message    text NOT NULL,
                priority   text NOT NULL,
                metadata   jsonb,
                action     jsonb,
                expiry     timestamptz,
                read       boolean NOT NULL DEFAULT false,
                -- pending: waits for the user to connect; delivered; dropped: left the bounded queue unsent.
                delivery   text NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
            CREATE INDEX notifications_pending ON notifications (user_id, seq) WHERE delivery = 'pending';
            """),
        new(4, "buying pools",
            """
            CREATE TABLE buying_pools (
                id                 text PRIMARY KEY,
                listing_id         text COLLATE "C" NOT NULL REFERENCES listings (id),
                provider_id        text NOT NULL,
                target_quantity    integer NOT NULL CHECK (target_quantity > 0),
                committed_quantity integer NOT NULL,
                deadline           timestamptz NOT NULL,
                status             text NOT NULL,   -- open, completed
                created_at         timestamptz NOT NULL,
                updated_at         timestamptz NOT NULL
            );

            CREATE TABLE pool_commitments (
                seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id         text NOT NULL UNIQUE,
                pool_id    text NOT NULL REFERENCES buying_pools (id),
                buyer_id   text NOT NULL,
                quantity   integer NOT NULL CHECK (quantity > 0),
                created_at timestamptz NOT NULL,
                order_id   text              -- the order placed when the pool closed
            );
            CREATE INDEX pool_commitments_by_pool ON pool_commitments (pool_id, seq);
            """),
    ];
}
