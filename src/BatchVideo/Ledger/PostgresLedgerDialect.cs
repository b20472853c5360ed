using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>The ledger on PostgreSQL, in its own schema, shared by several machines.</summary>
public sealed class PostgresLedgerDialect : LedgerDialect
{
    public override DatabaseEngine Engine => DatabaseEngine.Postgres;

    public override string Table => "batchvideo.ledger_entries";

    public override string WebhookEventsTable => "batchvideo.webhook_events";

    public override string RunsTable => "batchvideo.runs";

    public override string? MigrationLock => "SELECT pg_advisory_xact_lock(7321554001)";

    public override string MigrationsTable => "batchvideo.migrations";

    public override IReadOnlyList<string> Bootstrap { get; } =
    [
        "CREATE SCHEMA IF NOT EXISTS batchvideo",
        """
        CREATE TABLE IF NOT EXISTS batchvideo.migrations (
            version integer NOT NULL PRIMARY KEY,
            description text NOT NULL,
            applied_at bigint NOT NULL)
        """,
    ];

    public override IReadOnlyList<LedgerMigration> Migrations { get; } =
    [
        new(1, "ledger entries",
        [
            """
            CREATE TABLE batchvideo.ledger_entries (
                campaign varchar(100) NOT NULL,
                recipient_key varchar(300) NOT NULL,
                state varchar(20) NOT NULL,
                attempt integer NOT NULL,
                idempotency_key varchar(255) NOT NULL,
                title_marker varchar(64) NOT NULL,
                video_id varchar(128) NULL,
                video_status varchar(32) NULL,
                video_url text NULL,
                video_page_url text NULL,
                error_code varchar(100) NULL,
                error_message text NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                submitted_at bigint NULL,
                completed_at bigint NULL,
                written_back_at bigint NULL,
                PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE INDEX ix_ledger_entries_state ON batchvideo.ledger_entries (campaign, state)",
        ]),
        new(2, "claims with leases, for several workers on one table",
        [
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN claimed_by varchar(200) NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN lease_expires_at bigint NULL",
        ]),
        new(3, "runs, for batchvideo status",
        [
            """
            CREATE TABLE batchvideo.runs (
                run_id varchar(40) NOT NULL PRIMARY KEY,
                campaign varchar(100) NOT NULL,
                holder varchar(200) NOT NULL,
                started_at bigint NOT NULL,
                finished_at bigint NULL,
                read_rows bigint NULL,
                rejected bigint NULL,
                submitted bigint NULL,
                completed bigint NULL,
                failed bigint NULL,
                stopped_because text NULL)
            """,
            "CREATE INDEX ix_runs_campaign ON batchvideo.runs (campaign, started_at)",
        ]),
        // Webhooks name only the video: the index makes that lookup cheap whatever the campaign.
        new(4, "webhook events and video id lookup",
        [
            """
            CREATE TABLE batchvideo.webhook_events (
                event_id varchar(200) NOT NULL PRIMARY KEY,
                event_type varchar(100) NOT NULL,
                video_id varchar(128) NULL,
                received_at bigint NOT NULL)
            """,
            "CREATE INDEX ix_webhook_events_received_at ON batchvideo.webhook_events (received_at)",
            "CREATE INDEX ix_ledger_entries_video_id ON batchvideo.ledger_entries (video_id)",
        ]),
        new(5, "links that last: thumbnail, local file, signed link expiry",
        [
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN thumbnail_url text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN local_path text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN link_expires_at bigint NULL",
            "CREATE INDEX ix_ledger_entries_link_expiry ON batchvideo.ledger_entries (campaign, state, link_expires_at)",
        ]),
        new(6, "e-mail keys compared case-insensitively", [FoldEmailKeys("batchvideo.ledger_entries", "batchvideo.ledger_entries AS e", "")]),
        new(7, "every link and fact HeyGen gives: share page, GIF, captions, subtitles, duration",
        [
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN share_page_url text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN gif_url text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN captioned_video_url text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN subtitle_url text NULL",
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN duration_seconds double precision NULL",
        ]),
        // Render slots count the account's videos in flight across campaigns every second or so.
        new(8, "videos in flight by state, for render slots",
        [
            "CREATE INDEX ix_ledger_entries_in_flight ON batchvideo.ledger_entries (state, updated_at)",
        ]),
        new(9, "sample and approval per campaign",
        [
            """
            CREATE TABLE batchvideo.approvals (
                campaign text NOT NULL PRIMARY KEY,
                fingerprint text NOT NULL,
                sampled_at bigint NULL,
                sample_rows bigint NULL,
                approved_at bigint NULL)
            """,
        ]),
        // Video Agent creates answer with a session as well as a video (CreateVideoAgentResponse): kept beside it.
        new(10, "the Video Agent session of a video",
        [
            "ALTER TABLE batchvideo.ledger_entries ADD COLUMN session_id text NULL",
        ]),
        // Speech previews of names (batchvideo names), shared by every campaign: SpeechPreviewSql.
        SpeechPreviewSql.For(Databases.EngineKind.Postgres).Migration,
        // Recipient pages (issue 25): a token per recipient and the counts of what its page reported.
        new(12, "recipient pages: tokens and what their beacons counted", PageLedgerDialect.For(EngineKind.Postgres).Migration),
        // The recipient's name for first_view (Pages:NameColumn), kept beside the page texts.
        new(13, "recipient pages: the recipient's name for first_view", PageLedgerDialect.For(EngineKind.Postgres).NameMigration),
        // The tokens whose page reported something, for the write-back's read of active recipients.
        new(14, "recipient pages: an index of the pages that reported something", [PageLedgerDialect.For(EngineKind.Postgres).ActivityIndex]),
    ];

    public override string ApprovalsTable => "batchvideo.approvals";

    public override string SelectLastRun => "SELECT run_id, campaign, holder, started_at, finished_at, read_rows, rejected, submitted, completed, failed, stopped_because FROM batchvideo.runs WHERE campaign = @Campaign ORDER BY started_at DESC LIMIT 1";

    public override string SelectLinksDue => $"""
        SELECT {EntryColumns} FROM batchvideo.ledger_entries
        WHERE campaign = @Campaign AND state = 'completed' AND recipient_key > @AfterKey
          AND (link_expires_at IS NULL OR link_expires_at < @Before)
        ORDER BY recipient_key LIMIT @Limit
        """;

    public override string InsertWebhookEventIfAbsent => """
        INSERT INTO batchvideo.webhook_events (event_id, event_type, video_id, received_at) VALUES (@EventId, @EventType, @VideoId, @Now)
        ON CONFLICT (event_id) DO NOTHING
        """;

    public override string InsertSubmittingIfAbsent => """
        INSERT INTO batchvideo.ledger_entries (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        VALUES (@Campaign, @RecipientKey, 'submitting', 1, @IdempotencyKey, @TitleMarker, @Now, @Now)
        ON CONFLICT (campaign, recipient_key) DO NOTHING
        """;

    public override string EnqueuePending => """
        INSERT INTO batchvideo.ledger_entries AS e (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        SELECT @Campaign, w.k, 'pending', 1, w.i, w.m, @Now, @Now
        FROM jsonb_to_recordset(CAST(@Batch AS jsonb)) AS w(k text, i text, m text)
        ON CONFLICT (campaign, recipient_key) DO UPDATE SET state = 'pending', error_code = NULL, error_message = NULL, updated_at = @Now
        WHERE e.state = 'rejected' AND e.updated_at < @RunStarted
        """;

    // SKIP LOCKED: two workers claiming at once each get different entries, neither waits.
    public override string ClaimBatch => $"""
        WITH picked AS (
            SELECT campaign, recipient_key FROM batchvideo.ledger_entries
            WHERE {Claimable}
            ORDER BY recipient_key
            LIMIT @Count
            FOR UPDATE SKIP LOCKED)
        UPDATE batchvideo.ledger_entries AS e SET {ClaimAssignments}
        FROM picked WHERE e.campaign = picked.campaign AND e.recipient_key = picked.recipient_key
        RETURNING {string.Join(", ", EntryColumns.Split(',').Select(c => "e." + c.Trim()))}
        """;

    public override string SelectPage => $"""
        SELECT {EntryColumns} FROM batchvideo.ledger_entries
        WHERE campaign = @Campaign AND state = @State AND recipient_key > @After
        ORDER BY recipient_key LIMIT @Count
        """;
}
