using BatchVideo.Databases;

namespace BatchVideo.Ledger;

/// <summary>
/// The seam between the ledger and a database engine: its tables, migrations, and the few statements
/// whose syntax differs (upsert, batch input, claiming with skip-locked). Every statement lives in one
/// place per engine; <see cref="LedgerStore"/> holds the portable ones.
/// </summary>
public abstract class LedgerDialect
{
    /// <summary>Columns of a ledger entry, in the order statements return them.</summary>
    public const string EntryColumns = """
        campaign, recipient_key, state, attempt, idempotency_key, title_marker, video_id, video_status,
        video_url, video_page_url, thumbnail_url, local_path, link_expires_at, error_code, error_message,
        created_at, updated_at, submitted_at, completed_at, written_back_at, claimed_by, lease_expires_at
        """;

    /// <summary>States a claim may take: fresh work, or work whose holder stopped renewing its lease.</summary>
    protected const string Claimable = """
        campaign = @Campaign AND (state = 'pending' OR (state IN ('claimed', 'submitting') AND lease_expires_at < @Now))
        """;

    protected const string ClaimAssignments = """
        state = CASE WHEN state = 'pending' THEN 'claimed' ELSE state END,
            claimed_by = @Holder, lease_expires_at = @LeaseUntil, updated_at = @Now
        """;

    public abstract DatabaseEngine Engine { get; }

    /// <summary>The ledger table, qualified and quoted.</summary>
    public abstract string Table { get; }

    /// <summary>The table of webhook event ids already processed (replay and duplicate protection).</summary>
    public abstract string WebhookEventsTable { get; }

    /// <summary>The table recording each run, for status.</summary>
    public abstract string RunsTable { get; }

    /// <summary>The table recording applied migrations.</summary>
    public abstract string MigrationsTable { get; }

    /// <summary>Taken first in the migration transaction so two machines never migrate at once; null where the transaction itself locks.</summary>
    public virtual string? MigrationLock => null;

    /// <summary>Creates the migrations table when missing (and its schema).</summary>
    public abstract IReadOnlyList<string> Bootstrap { get; }

    public abstract IReadOnlyList<LedgerMigration> Migrations { get; }

    /// <summary>Inserts a submitting entry unless one exists for the recipient; affects 0 or 1 row.</summary>
    public abstract string InsertSubmittingIfAbsent { get; }

    /// <summary>
    /// Adds pending entries from a JSON array @Batch of {k: key, i: idempotency key, m: marker} in one
    /// statement; entries rejected before @RunStarted become pending again (their row may be fixed now).
    /// </summary>
    public abstract string EnqueuePending { get; }

    /// <summary>Claims up to @Count claimable entries for @Holder until @LeaseUntil and returns them.</summary>
    public abstract string ClaimBatch { get; }

    /// <summary>Entries in a state, by key, after @After, at most @Count.</summary>
    public abstract string SelectPage { get; }

    /// <summary>A failed entry becomes submitting again with a fresh idempotency key (operator's --retry-failed).</summary>
    public string RetryFailed => $"""
        UPDATE {Table}
        SET state = 'submitting', attempt = @Attempt + 1, idempotency_key = @IdempotencyKey, video_id = NULL,
            video_status = NULL, video_url = NULL, video_page_url = NULL, thumbnail_url = NULL, local_path = NULL,
            link_expires_at = NULL, error_code = NULL, error_message = NULL,
            submitted_at = NULL, completed_at = NULL, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'failed' AND attempt = @Attempt
        """;

    /// <summary>HeyGen accepted the create: record the video id.</summary>
    public string MarkSubmitted => $"""
        UPDATE {Table}
        SET state = 'submitted', video_id = @VideoId, video_status = @Status, submitted_at = @Now, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'
        """;

    /// <summary>A status seen while the video renders.</summary>
    public string MarkStatus => $"""
        UPDATE {Table} SET video_status = @Status, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitted'
        """;

    /// <summary>The video is done: record its links.</summary>
    public string MarkCompleted => $"""
        UPDATE {Table}
        SET state = 'completed', video_status = 'completed', video_url = @VideoUrl, video_page_url = @PageUrl,
            thumbnail_url = @ThumbnailUrl, link_expires_at = @ExpiresAt,
            error_code = NULL, error_message = NULL, completed_at = COALESCE(completed_at, @Now), updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state IN ('submitted', 'completed')
        """;

    /// <summary>The entry holding a video, whatever its campaign (webhooks name only the video).</summary>
    public string SelectByVideoId => $"SELECT {EntryColumns} FROM {Table} WHERE video_id = @VideoId";

    /// <summary>A webhook completed a video: no-op unless it is rendering or done.</summary>
    public string MarkCompletedByVideo => $"""
        UPDATE {Table}
        SET state = 'completed', video_status = 'completed', video_url = @VideoUrl, video_page_url = @PageUrl,
            thumbnail_url = COALESCE(@ThumbnailUrl, thumbnail_url), link_expires_at = @ExpiresAt,
            error_code = NULL, error_message = NULL, completed_at = COALESCE(completed_at, @Now), updated_at = @Now
        WHERE video_id = @VideoId AND state IN ('submitted', 'completed')
        """;

    /// <summary>A webhook failed a video still rendering (a late fail never undoes a completion).</summary>
    public string MarkFailedByVideo => $"""
        UPDATE {Table}
        SET state = 'failed', video_status = 'failed', error_code = @ErrorCode, error_message = @ErrorMessage,
            completed_at = @Now, updated_at = @Now
        WHERE video_id = @VideoId AND state = 'submitted'
        """;

    /// <summary>Freshly signed links of a completed video (refresh).</summary>
    public string RenewLinks => $"""
        UPDATE {Table}
        SET video_url = @VideoUrl, video_page_url = COALESCE(@PageUrl, video_page_url),
            thumbnail_url = COALESCE(@ThumbnailUrl, thumbnail_url), link_expires_at = @ExpiresAt, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'completed'
        """;

    /// <summary>Where the video's file was stored.</summary>
    public string SetLocalPath => $"""
        UPDATE {Table} SET local_path = @LocalPath, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'completed'
        """;

    /// <summary>
    /// One page (at most @Limit, keyset after @AfterKey) of a campaign's completed entries whose signed
    /// link expires before @Before or has no known expiry, in key order.
    /// </summary>
    public abstract string SelectLinksDue { get; }

    /// <summary>Records a webhook event id unless it is already there; affects 0 or 1 row.</summary>
    public abstract string InsertWebhookEventIfAbsent { get; }

    /// <summary>Whether a webhook event id was processed.</summary>
    public string CountWebhookEvent => $"SELECT COUNT(*) FROM {WebhookEventsTable} WHERE event_id = @EventId";

    /// <summary>Forgets event ids received long ago.</summary>
    public string PruneWebhookEvents => $"DELETE FROM {WebhookEventsTable} WHERE received_at < @Before";

    /// <summary>A refused create (no video) or a failed render (video id kept).</summary>
    public string MarkFailed => $"""
        UPDATE {Table}
        SET state = 'failed', video_status = @VideoStatus, error_code = @ErrorCode, error_message = @ErrorMessage,
            completed_at = @Now, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state IN ('submitting', 'submitted')
        """;

    /// <summary>Forget a submitting entry HeyGen refused without creating anything.</summary>
    public string Release => $"DELETE FROM {Table} WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'";

    /// <summary>Extend the leases of everything a holder still holds.</summary>
    public string RenewLeases => $"""
        UPDATE {Table} SET lease_expires_at = @LeaseUntil
        WHERE campaign = @Campaign AND claimed_by = @Holder AND state IN ('claimed', 'submitting')
        """;

    /// <summary>A claimed entry becomes submitting just before its create is sent.</summary>
    public string BeginSubmitting => $"""
        UPDATE {Table} SET state = 'submitting', updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'claimed' AND claimed_by = @Holder
        """;

    /// <summary>
    /// A run that met the recipient in a file takes over an entry nobody is working on: pending or rejected
    /// table work, or a claim or submission whose lease has ended (its worker died). It becomes
    /// "submitting" under this holder's lease; a "submitting" entry keeps its updated_at, from which
    /// its Idempotency-Key's 24 hours count, and is replayed, never sent blind. Affects 0 or 1 row.
    /// </summary>
    public string TakeOver => $"""
        UPDATE {Table}
        SET state = 'submitting', claimed_by = @Holder, lease_expires_at = @LeaseUntil, error_code = NULL, error_message = NULL,
            updated_at = CASE WHEN state = 'submitting' THEN updated_at ELSE @Now END
        WHERE campaign = @Campaign AND recipient_key = @Key
          AND (state IN ('pending', 'rejected') OR (state IN ('claimed', 'submitting') AND lease_expires_at < @Now))
        """;

    /// <summary>A claimed row that cannot be rendered, kept with its reason.</summary>
    public string MarkRejected => $"""
        UPDATE {Table}
        SET state = 'rejected', error_code = 'rejected', error_message = @Reason, claimed_by = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'claimed' AND claimed_by = @Holder
        """;

    /// <summary>Forget a claim whose row no longer needs a video.</summary>
    public string DropClaim => $"DELETE FROM {Table} WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'claimed' AND claimed_by = @Holder";

    /// <summary>Entries of a list of keys.</summary>
    public string SelectByKeys => $"SELECT {EntryColumns} FROM {Table} WHERE campaign = @Campaign AND {Engine.InList("recipient_key", "Keys")}";

    /// <summary>Stamp entries whose results reached the source.</summary>
    public string MarkWrittenBack => $"UPDATE {Table} SET written_back_at = @Now WHERE campaign = @Campaign AND {Engine.InList("recipient_key", "Keys")}";

    /// <summary>Entries per state.</summary>
    public string CountByState => $"SELECT state, COUNT(*) FROM {Table} WHERE campaign = @Campaign GROUP BY state";

    /// <summary>Applied migration versions.</summary>
    public string SelectMigrations => $"SELECT version FROM {MigrationsTable}";

    /// <summary>Record one applied migration.</summary>
    public string RecordMigration => $"INSERT INTO {MigrationsTable} (version, description, applied_at) VALUES (@Version, @Description, @Now)";

    /// <summary>Table work some worker still has to do: pending, or held under a lease.</summary>
    public string CountOutstandingClaims => $"""
        SELECT COUNT(*) FROM {Table}
        WHERE campaign = @Campaign AND (state = 'pending' OR (state IN ('claimed', 'submitting') AND lease_expires_at IS NOT NULL))
        """;

    /// <summary>A run begins.</summary>
    public string RecordRunStarted => $"INSERT INTO {RunsTable} (run_id, campaign, holder, started_at) VALUES (@RunId, @Campaign, @Holder, @Now)";

    /// <summary>A run ends, with its counts.</summary>
    public string RecordRunFinished => $"""
        UPDATE {RunsTable}
        SET finished_at = @Now, read_rows = @Read, rejected = @Rejected, submitted = @Submitted, completed = @Completed,
            failed = @Failed, stopped_because = @StoppedBecause
        WHERE run_id = @RunId
        """;

    /// <summary>The latest run of a campaign.</summary>
    public abstract string SelectLastRun { get; }

    /// <summary>Sample and approval per campaign (migration 9), for campaigns with RequireApproval.</summary>
    public abstract string ApprovalsTable { get; }

    /// <summary>A campaign's sample and approval.</summary>
    public string SelectApproval => $"SELECT campaign, fingerprint, sampled_at, sample_rows, approved_at FROM {ApprovalsTable} WHERE campaign = @Campaign";

    /// <summary>A new sample; an approval stays only if it was of the same fingerprint.</summary>
    public string UpdateSample => $"""
        UPDATE {ApprovalsTable}
        SET approved_at = CASE WHEN fingerprint = @Fingerprint THEN approved_at ELSE NULL END,
            fingerprint = @Fingerprint, sampled_at = @Now, sample_rows = @Rows
        WHERE campaign = @Campaign
        """;

    /// <summary>A campaign's first sample.</summary>
    public string InsertSample => $"INSERT INTO {ApprovalsTable} (campaign, fingerprint, sampled_at, sample_rows) VALUES (@Campaign, @Fingerprint, @Now, @Rows)";

    /// <summary>Approves the sample, only if it is of the campaign as it is configured now.</summary>
    public string Approve => $"UPDATE {ApprovalsTable} SET approved_at = @Now WHERE campaign = @Campaign AND fingerprint = @Fingerprint AND sampled_at IS NOT NULL";

    /// <summary>Every statement this dialect can send, for the parse tests and for review.</summary>
    public IEnumerable<string> AllStatements =>
        (MigrationLock is null ? Bootstrap : Bootstrap.Prepend(MigrationLock)).Concat(Migrations.SelectMany(m => m.Statements)).Concat(
        [
            InsertSubmittingIfAbsent, EnqueuePending, ClaimBatch, SelectPage, RetryFailed, MarkSubmitted, MarkStatus, MarkCompleted,
            MarkFailed, Release, RenewLeases, BeginSubmitting, TakeOver, MarkRejected, DropClaim, SelectByKeys, MarkWrittenBack, CountByState,
            SelectMigrations, RecordMigration, CountOutstandingClaims, RecordRunStarted, RecordRunFinished, SelectLastRun,
            SelectByVideoId, MarkCompletedByVideo, MarkFailedByVideo, RenewLinks, SetLocalPath, SelectLinksDue,
            InsertWebhookEventIfAbsent, CountWebhookEvent, PruneWebhookEvents,
            SelectApproval, UpdateSample, InsertSample, Approve,
        ]);

    /// <summary>
    /// False when connecting would create the database (an embedded file not there yet), so read-only
    /// commands can tell "no ledger yet" without making one. Servers' databases are never created by a connection.
    /// </summary>
    public virtual bool MayExist(string connectionString) => true;

    /// <summary>Largest IN list sent in one statement.</summary>
    public virtual int MaxKeysPerQuery => 500;

    public static LedgerDialect For(EngineKind kind) => kind switch
    {
        EngineKind.Sqlite => new SqliteLedgerDialect(),
        EngineKind.Postgres => new PostgresLedgerDialect(),
        EngineKind.SqlServer => new SqlServerLedgerDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>One versioned schema change, applied once, in one transaction, and recorded.</summary>
public sealed record LedgerMigration(int Version, string Description, IReadOnlyList<string> Statements);
