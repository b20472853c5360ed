using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>The production ledger on SQL Server, in the [batchvideo] schema, shared by several machines.</summary>
public sealed class SqlServerLedgerDialect : LedgerDialect
{
    public override DatabaseEngine Engine => DatabaseEngine.SqlServer;

    public override string Table => "[batchvideo].[ledger_entries]";

    public override string WebhookEventsTable => "[batchvideo].[webhook_events]";

    public override string RunsTable => "[batchvideo].[runs]";

    public override string? MigrationLock => "EXEC sp_getapplock @Resource = N'batchvideo.migrations', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000";

    public override string MigrationsTable => "[batchvideo].[migrations]";

    public override IReadOnlyList<string> Bootstrap { get; } =
    [
        "IF SCHEMA_ID(N'batchvideo') IS NULL EXEC(N'CREATE SCHEMA [batchvideo]')",
        """
        IF OBJECT_ID(N'[batchvideo].[migrations]', N'U') IS NULL
        CREATE TABLE [batchvideo].[migrations] (
            version int NOT NULL PRIMARY KEY,
            description nvarchar(200) NOT NULL,
            applied_at bigint NOT NULL)
        """,
    ];

    // Key columns stay under SQL Server's 900-byte index key limit: 2 x (100 + 300) nvarchar bytes.
    public override IReadOnlyList<LedgerMigration> Migrations { get; } =
    [
        new(1, "ledger entries",
        [
            """
            CREATE TABLE [batchvideo].[ledger_entries] (
                campaign nvarchar(100) NOT NULL,
                recipient_key nvarchar(300) NOT NULL,
                state varchar(20) NOT NULL,
                attempt int NOT NULL,
                idempotency_key varchar(255) NOT NULL,
                title_marker varchar(64) NOT NULL,
                video_id nvarchar(128) NULL,
                video_status nvarchar(32) NULL,
                video_url nvarchar(max) NULL,
                video_page_url nvarchar(max) NULL,
                error_code nvarchar(100) NULL,
                error_message nvarchar(max) NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                submitted_at bigint NULL,
                completed_at bigint NULL,
                written_back_at bigint NULL,
                CONSTRAINT pk_ledger_entries PRIMARY KEY (campaign, recipient_key))
            """,
            "CREATE INDEX ix_ledger_entries_state ON [batchvideo].[ledger_entries] (campaign, state)",
        ]),
        new(2, "claims with leases, for several workers on one table",
        [
            "ALTER TABLE [batchvideo].[ledger_entries] ADD claimed_by nvarchar(200) NULL, lease_expires_at bigint NULL",
        ]),
        new(3, "runs, for batchvideo status",
        [
            """
            CREATE TABLE [batchvideo].[runs] (
                run_id varchar(40) NOT NULL PRIMARY KEY,
                campaign nvarchar(100) NOT NULL,
                holder nvarchar(200) NOT NULL,
                started_at bigint NOT NULL,
                finished_at bigint NULL,
                read_rows bigint NULL,
                rejected bigint NULL,
                submitted bigint NULL,
                completed bigint NULL,
                failed bigint NULL,
                stopped_because nvarchar(max) NULL)
            """,
            "CREATE INDEX ix_runs_campaign ON [batchvideo].[runs] (campaign, started_at)",
        ]),
        // Webhooks name only the video: the index makes that lookup cheap whatever the campaign.
        new(4, "webhook events and video id lookup",
        [
            """
            CREATE TABLE [batchvideo].[webhook_events] (
                event_id nvarchar(200) NOT NULL PRIMARY KEY,
                event_type nvarchar(100) NOT NULL,
                video_id nvarchar(128) NULL,
                received_at bigint NOT NULL)
            """,
            "CREATE INDEX ix_webhook_events_received_at ON [batchvideo].[webhook_events] (received_at)",
            "CREATE INDEX ix_ledger_entries_video_id ON [batchvideo].[ledger_entries] (video_id)",
        ]),
        new(5, "links that last: thumbnail, local file, signed link expiry",
        [
            "ALTER TABLE [batchvideo].[ledger_entries] ADD thumbnail_url nvarchar(max) NULL, local_path nvarchar(1000) NULL, link_expires_at bigint NULL",
            "CREATE INDEX ix_ledger_entries_link_expiry ON [batchvideo].[ledger_entries] (campaign, state, link_expires_at)",
        ]),
        new(6, "e-mail keys compared case-insensitively", [FoldEmailKeys("[batchvideo].[ledger_entries]", "e", " FROM [batchvideo].[ledger_entries] AS e")]),
        new(7, "every link and fact HeyGen gives: share page, GIF, captions, subtitles, duration",
        [
            "ALTER TABLE [batchvideo].[ledger_entries] ADD share_page_url nvarchar(max) NULL, gif_url nvarchar(max) NULL, captioned_video_url nvarchar(max) NULL, subtitle_url nvarchar(max) NULL, duration_seconds float NULL",
        ]),
        // Render slots count the account's videos in flight across campaigns every second or so.
        new(8, "videos in flight by state, for render slots",
        [
            "CREATE INDEX ix_ledger_entries_in_flight ON [batchvideo].[ledger_entries] (state, updated_at)",
        ]),
        new(9, "sample and approval per campaign",
        [
            """
            CREATE TABLE [batchvideo].[approvals] (
                campaign nvarchar(200) NOT NULL PRIMARY KEY,
                fingerprint nvarchar(64) NOT NULL,
                sampled_at bigint NULL,
                sample_rows bigint NULL,
                approved_at bigint NULL)
            """,
        ]),
        // Video Agent creates answer with a session as well as a video (CreateVideoAgentResponse): kept beside it.
        new(10, "the Video Agent session of a video",
        [
            "ALTER TABLE [batchvideo].[ledger_entries] ADD session_id nvarchar(200) NULL",
        ]),
        // Speech previews of names (batchvideo names), shared by every campaign: SpeechPreviewSql.
        SpeechPreviewSql.For(Databases.EngineKind.SqlServer).Migration,
        // Recipient pages (issue 25): a token per recipient and the counts of what its page reported.
        new(12, "recipient pages: tokens and what their beacons counted", PageLedgerDialect.For(EngineKind.SqlServer).Migration),
        // The recipient's name for first_view (Pages:NameColumn), kept beside the page texts.
        new(13, "recipient pages: the recipient's name for first_view", PageLedgerDialect.For(EngineKind.SqlServer).NameMigration),
        // The tokens whose page reported something, for the write-back's read of active recipients.
        new(14, "recipient pages: an index of the pages that reported something", [PageLedgerDialect.For(EngineKind.SqlServer).ActivityIndex]),
    ];

    // UPDLOCK + HOLDLOCK make the existence check and the insert one atomic step under concurrency.
    public override string ApprovalsTable => "[batchvideo].[approvals]";

    protected override string KeyLength => "LEN(recipient_key)";

    public override string SelectLastRun => "SELECT TOP (1) run_id, campaign, holder, started_at, finished_at, read_rows, rejected, submitted, completed, failed, stopped_because FROM [batchvideo].[runs] WHERE campaign = @Campaign ORDER BY started_at DESC";

    public override string SelectLinksDue => $"""
        SELECT TOP (@Limit) {EntryColumns} FROM [batchvideo].[ledger_entries]
        WHERE campaign = @Campaign AND state = 'completed' AND recipient_key > @AfterKey
          AND (link_expires_at IS NULL OR link_expires_at < @Before)
        ORDER BY recipient_key
        """;

    public override string InsertWebhookEventIfAbsent => """
        INSERT INTO [batchvideo].[webhook_events] (event_id, event_type, video_id, received_at)
        SELECT @EventId, @EventType, @VideoId, @Now
        WHERE NOT EXISTS (SELECT 1 FROM [batchvideo].[webhook_events] WITH (UPDLOCK, HOLDLOCK) WHERE event_id = @EventId)
        """;

    public override string InsertSubmittingIfAbsent => """
        INSERT INTO [batchvideo].[ledger_entries] (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
        SELECT @Campaign, @RecipientKey, 'submitting', 1, @IdempotencyKey, @TitleMarker, @Now, @Now
        WHERE NOT EXISTS (
            SELECT 1 FROM [batchvideo].[ledger_entries] WITH (UPDLOCK, HOLDLOCK)
            WHERE campaign = @Campaign AND recipient_key = @RecipientKey)
        """;

    public override string EnqueuePending => """
        MERGE [batchvideo].[ledger_entries] WITH (HOLDLOCK) AS e
        USING (SELECT k, i, m FROM OPENJSON(@Batch) WITH (k nvarchar(300) '$.k', i varchar(255) '$.i', m varchar(64) '$.m')) AS w
            ON e.campaign = @Campaign AND e.recipient_key = w.k
        WHEN NOT MATCHED THEN
            INSERT (campaign, recipient_key, state, attempt, idempotency_key, title_marker, created_at, updated_at)
            VALUES (@Campaign, w.k, 'pending', 1, w.i, w.m, @Now, @Now)
        WHEN MATCHED AND e.state = 'rejected' AND e.updated_at < @RunStarted THEN
            UPDATE SET state = 'pending', error_code = NULL, error_message = NULL, updated_at = @Now;
        """;

    // READPAST skips rows another worker has locked; UPDLOCK + ROWLOCK hold ours until the update.
    public override string ClaimBatch => $"""
        WITH picked AS (
            SELECT TOP (@Count) * FROM [batchvideo].[ledger_entries] WITH (ROWLOCK, READPAST, UPDLOCK)
            WHERE {Claimable}
            ORDER BY recipient_key)
        UPDATE picked SET {ClaimAssignments}
        OUTPUT {string.Join(", ", EntryColumns.Split(',').Select(c => "inserted." + c.Trim()))};
        """;

    public override string SelectPage => $"""
        SELECT TOP (@Count) {EntryColumns} FROM [batchvideo].[ledger_entries]
        WHERE campaign = @Campaign AND state = @State AND recipient_key > @After
        ORDER BY recipient_key
        """;
}
