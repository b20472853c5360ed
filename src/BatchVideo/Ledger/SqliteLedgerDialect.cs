using BatchVideo.Databases;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Ledger;

/// <summary>The embedded default: a SQLite file beside the configuration (one machine).</summary>
public sealed class SqliteLedgerDialect : LedgerDialect
{
    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;

    public override string Table => "ledger_entries";

    public override string WebhookEventsTable => "webhook_events";

    public override string RunsTable => "batchvideo_runs";

    public override string MigrationsTable => "batchvideo_migrations";

    public override IReadOnlyList<string> Bootstrap { get; } =
    [
        """
        CREATE TABLE IF NOT EXISTS batchvideo_migrations (
            version INTEGER NOT NULL PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at INTEGER NOT NULL)
        """,
    ];

    public override IReadOnlyList<LedgerMigration> Migrations { get; } =
    [
        new(1, "ledger entries",
        [
            """
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
                PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE INDEX ix_ledger_entries_state ON ledger_entries (campaign, state)",
        ]),
        new(2, "claims with leases, for several workers on one table",
        [
            "ALTER TABLE ledger_entries ADD COLUMN claimed_by TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN lease_expires_at INTEGER NULL",
        ]),
        new(3, "runs, for batchvideo status",
        [
            """
            CREATE TABLE batchvideo_runs (
                run_id TEXT NOT NULL PRIMARY KEY,
                campaign TEXT NOT NULL,
                holder TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER NULL,
                read_rows INTEGER NULL,
                rejected INTEGER NULL,
                submitted INTEGER NULL,
                completed INTEGER NULL,
                failed INTEGER NULL,
                stopped_because TEXT NULL)
            """,
            "CREATE INDEX ix_batchvideo_runs_campaign ON batchvideo_runs (campaign, started_at)",
        ]),
        // Webhooks name only the video: the index makes that lookup cheap whatever the campaign.
        new(4, "webhook events and video id lookup",
        [
            """
            CREATE TABLE webhook_events (
                event_id TEXT NOT NULL PRIMARY KEY,
                event_type TEXT NOT NULL,
                video_id TEXT NULL,
                received_at INTEGER NOT NULL)
            """,
            "CREATE INDEX ix_webhook_events_received_at ON webhook_events (received_at)",
            "CREATE INDEX ix_ledger_entries_video_id ON ledger_entries (video_id)",
        ]),
        new(5, "links that last: thumbnail, local file, signed link expiry",
        [
            "ALTER TABLE ledger_entries ADD COLUMN thumbnail_url TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN local_path TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN link_expires_at INTEGER NULL",
            "CREATE INDEX ix_ledger_entries_link_expiry ON ledger_entries (campaign, state, link_expires_at)",
        ]),
        new(6, "e-mail keys compared case-insensitively", [FoldEmailKeys("ledger_entries", "ledger_entries AS e", "")]),
        new(7, "every link and fact HeyGen gives: share page, GIF, captions, subtitles, duration",
        [
            "ALTER TABLE ledger_entries ADD COLUMN share_page_url TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN gif_url TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN captioned_video_url TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN subtitle_url TEXT NULL",
            "ALTER TABLE ledger_entries ADD COLUMN duration_seconds REAL NULL",
        ]),
        // Render slots count the account's videos in flight across campaigns every second or so.
        new(8, "videos in flight by state, for render slots",
        [
            "CREATE INDEX ix_ledger_entries_in_flight ON ledger_entries (state, updated_at)",
        ]),
        new(9, "sample and approval per campaign",
        [
            """
            CREATE TABLE batchvideo_approvals (
                campaign TEXT NOT NULL PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                sampled_at INTEGER NULL,
                sample_rows INTEGER NULL,
                approved_at INTEGER NULL)
            """,
        ]),
        // Video Agent creates answer with a session as well as a video (CreateVideoAgentResponse): kept beside it.
        new(10, "the Video Agent session of a video",
        [
            "ALTER TABLE ledger_entries ADD COLUMN session_id TEXT NULL",
        ]),
        // Speech previews of names (batchvideo names), shared by every campaign: SpeechPreviewSql.
        SpeechPreviewSql.For(Databases.EngineKind.Sqlite).Migration,
        // Recipient pages (issue 25): a token per recipient and the counts of what its page reported.
        new(12, "recipient pages: tokens and what their beacons counted", PageLedgerDialect.For(EngineKind.Sqlite).Migration),
        // The recipient's name for first_view (Pages:NameColumn), kept beside the page texts.
        new(13, "recipient pages: the recipient's name for first_view", PageLedgerDialect.For(EngineKind.Sqlite).NameMigration),
        // The tokens whose page reported something, for the write-back's read of active recipients.
        new(14, "recipient pages: an index of the pages that reported something", [PageLedgerDialect.For(EngineKind.Sqlite).ActivityIndex]),
    ];

    public override string ApprovalsTable => "batchvideo_approvals";

    public override string SelectLastRun => "SELECT run_id, campaign, holder, started_at, finished_at, read_rows, rejected, submitted, completed, failed, stopped_because FROM batchvideo_runs WHERE campaign = @Campaign ORDER BY started_at DESC LIMIT 1";

    public override string SelectLinksDue => $"""
        SELECT {EntryColumns} FROM ledger_entries
        WHERE campaign = @Campaign AND state = 'completed' AND recipient_key > @AfterKey
          AND (link_expires_at IS NULL OR link_expires_at < @Before)
        ORDER BY recipient_key LIMIT @Limit
        """;

    public override string InsertWebhookEventIfAbsent => """
        INSERT INTO webhook_events (event_id, event_type, video_id, received_at) VALUES (@EventId, @EventType, @VideoId, @Now)
        ON CONFLICT (event_id) DO NOTHING
        """;

    public override string InsertSubmittingIfAbsent => """
        INSERT INTO ledger_entries (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        VALUES (@Campaign, @RecipientKey, 'submitting', 1, @IdempotencyKey, @TitleMarker, @Now, @Now)
        ON CONFLICT (campaign, recipient_key) DO NOTHING
        """;

    // "WHERE true" keeps SQLite from reading ON CONFLICT as a join constraint of the SELECT.
    public override string EnqueuePending => """
        INSERT INTO ledger_entries (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        SELECT @Campaign, json_extract(value, '$.k'), 'pending', 1, json_extract(value, '$.i'), json_extract(value, '$.m'), @Now, @Now
        FROM json_each(@Batch) WHERE true
        ON CONFLICT (campaign, recipient_key) DO UPDATE SET state = 'pending', error_code = NULL, error_message = NULL, updated_at = @Now
        WHERE ledger_entries.state = 'rejected' AND ledger_entries.updated_at < @RunStarted
        """;

    // One process holds a SQLite file's write lock at a time, so a plain UPDATE ... RETURNING is a safe claim.
    public override string ClaimBatch => $"""
        UPDATE ledger_entries SET {ClaimAssignments}
        WHERE rowid IN (SELECT rowid FROM ledger_entries WHERE {Claimable} ORDER BY recipient_key LIMIT @Count)
        RETURNING {EntryColumns}
        """;

    public override string SelectPage => $"""
        SELECT {EntryColumns} FROM ledger_entries
        WHERE campaign = @Campaign AND state = @State AND recipient_key > @After
        ORDER BY recipient_key LIMIT @Count
        """;

    public override bool MayExist(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode != SqliteOpenMode.Memory
            && builder.DataSource is { Length: > 0 } file and not ":memory:"
            && File.Exists(file);
    }
}
