using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Ledger;

/// <summary>The embedded default: a SQLite file next to the configuration.</summary>
public sealed class SqliteLedgerDialect : LedgerDialect
{
    public override string Engine => "sqlite";

    public override string Table => "ledger_entries";

    public override string WebhookEventsTable => "webhook_events";

    public override string MigrationsTable => "batchvideo_migrations";

    // WAL lets readers go on while a writer commits; NORMAL sync in WAL mode survives a killed
    // process (only power loss can drop the last commits), and is what makes per-row writes cheap.
    public override string OnOpen => "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    public override string CreateMigrationsTable => """
        CREATE TABLE IF NOT EXISTS batchvideo_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at INTEGER NOT NULL)
        """;

    public override IReadOnlyList<LedgerMigration> Migrations { get; } =
    [
        new(1, "ledger entries", """
            CREATE TABLE ledger_entries (
                campaign TEXT NOT NULL,
                recipient_key TEXT NOT NULL,
                state TEXT NOT NULL,
                attempt INTEGER NOT NULL,
                idempotency_key TEXT NOT NULL,
                title_marker TEXT NOT NULL,
                video_id TEXT NULL,
                video_status TEXT NULL,
                video_url TEXT NULL,
                video_page_url TEXT NULL,
                error_code TEXT NULL,
                error_message TEXT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                submitted_at INTEGER NULL,
                completed_at INTEGER NULL,
                written_back_at INTEGER NULL,
                PRIMARY KEY (campaign, recipient_key));
            CREATE INDEX ix_ledger_entries_state ON ledger_entries (campaign, state);
            """),
        // Webhooks name only the video: the index makes that lookup cheap whatever the campaign.
        new(2, "webhook events and video id lookup", """
            CREATE TABLE webhook_events (
                event_id TEXT NOT NULL PRIMARY KEY,
                event_type TEXT NOT NULL,
                video_id TEXT NULL,
                received_at INTEGER NOT NULL);
            CREATE INDEX ix_webhook_events_received_at ON webhook_events (received_at);
            CREATE INDEX ix_ledger_entries_video_id ON ledger_entries (video_id);
            """),
        new(3, "links that last: thumbnail, local file, signed link expiry", """
            ALTER TABLE ledger_entries ADD COLUMN thumbnail_url TEXT NULL;
            ALTER TABLE ledger_entries ADD COLUMN local_path TEXT NULL;
            ALTER TABLE ledger_entries ADD COLUMN link_expires_at INTEGER NULL;
            CREATE INDEX ix_ledger_entries_link_expiry ON ledger_entries (campaign, state, link_expires_at);
            """),
    ];

    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);
}
