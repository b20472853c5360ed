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
        created_at, updated_at, submitted_at, completed_at, written_back_at, claimed_by, lease_expires_at,
        share_page_url, gif_url, captioned_video_url, subtitle_url, duration_seconds
        """;

    /// <summary>
    /// Every link and fact HeyGen gave, each kept when this answer lacks it: a webhook without a page link,
    /// or a refresh, must never erase what the poller stored. The signed link's expiry moves only with the
    /// signed link.
    /// </summary>
    protected const string LinkAssignments = """
        video_url = COALESCE(@VideoUrl, video_url),
            link_expires_at = CASE WHEN @VideoUrl IS NULL THEN link_expires_at ELSE @ExpiresAt END,
            video_page_url = COALESCE(@PageUrl, video_page_url), thumbnail_url = COALESCE(@ThumbnailUrl, thumbnail_url),
            share_page_url = COALESCE(@SharePageUrl, share_page_url), gif_url = COALESCE(@GifUrl, gif_url),
            captioned_video_url = COALESCE(@CaptionedVideoUrl, captioned_video_url), subtitle_url = COALESCE(@SubtitleUrl, subtitle_url),
            duration_seconds = COALESCE(@Duration, duration_seconds)
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

    /// <summary>
    /// Migration 6: keys that are e-mail addresses become lower case, as <c>RecipientKeys.Normalize</c> now
    /// compares them, so a person recorded as <c>Ann@Example.com</c> is still found as <c>ann@example.com</c>.
    /// Only entries of CSV runs (never claimed from a table, whose keys stay the table's own), and only where
    /// no other entry of the campaign folds to the same key.
    /// </summary>
    protected static string FoldEmailKeys(string table, string update, string from) => $"""
        UPDATE {update} SET recipient_key = LOWER(e.recipient_key){from}
        WHERE e.recipient_key LIKE '%@%' AND e.recipient_key <> LOWER(e.recipient_key)
          AND e.claimed_by IS NULL AND e.state NOT IN ('pending', 'claimed', 'rejected')
          AND NOT EXISTS (
            SELECT 1 FROM {table} AS other
            WHERE other.campaign = e.campaign AND other.recipient_key <> e.recipient_key
              AND LOWER(other.recipient_key) = LOWER(e.recipient_key))
        """;

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
            link_expires_at = NULL, error_code = NULL, error_message = NULL, share_page_url = NULL, gif_url = NULL,
            captioned_video_url = NULL, subtitle_url = NULL, duration_seconds = NULL,
            submitted_at = NULL, completed_at = NULL, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'failed' AND attempt = @Attempt
        """;

    /// <summary>HeyGen accepted the create: record the video id.</summary>
    public string MarkSubmitted => $"""
        UPDATE {Table}
        SET state = 'submitted', video_id = @VideoId, video_status = @Status, submitted_at = @Now, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'
        """;

    /// <summary>The Video Agent session that made a submitted video (migration 10).</summary>
    public string RecordSession => $"""
        UPDATE {Table} SET session_id = @SessionId
        WHERE campaign = @Campaign AND recipient_key = @Key AND video_id = @VideoId
        """;

    /// <summary>
    /// A Video Agent session recorded without a video (video_id holds its stand-in, @SessionRef) got one: the
    /// video id replaces the stand-in; no-op once it did.
    /// </summary>
    public string AdoptSessionVideo => $"""
        UPDATE {Table} SET video_id = @VideoId, updated_at = @Now
        WHERE session_id = @SessionId AND video_id = @SessionRef AND state = 'submitted'
        """;

    /// <summary>The entry of a Video Agent session, whatever its campaign (a webhook naming the session).</summary>
    public string SelectBySession => $"SELECT {EntryColumns} FROM {Table} WHERE session_id = @SessionId";

    /// <summary>A status seen while the video renders.</summary>
    public string MarkStatus => $"""
        UPDATE {Table} SET video_status = @Status, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitted'
        """;

    /// <summary>The video is done: record its links.</summary>
    public string MarkCompleted => $"""
        UPDATE {Table}
        SET state = 'completed', video_status = 'completed', {LinkAssignments},
            error_code = NULL, error_message = NULL, completed_at = COALESCE(completed_at, @Now), updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state IN ('submitted', 'completed')
        """;

    /// <summary>The entry holding a video, whatever its campaign (webhooks name only the video).</summary>
    public string SelectByVideoId => $"SELECT {EntryColumns} FROM {Table} WHERE video_id = @VideoId";

    /// <summary>A webhook completed a video: no-op unless it is rendering or done.</summary>
    public string MarkCompletedByVideo => $"""
        UPDATE {Table}
        SET state = 'completed', video_status = 'completed', {LinkAssignments},
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
        SET {LinkAssignments}, updated_at = @Now
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

    /// <summary>
    /// A submitting entry HeyGen refused without creating anything (bad key, no credit): kept, with its attempt
    /// history, so the next send uses a new attempt and Idempotency-Key (HeyGen may replay a key's first answer,
    /// errors included, for 24 hours). From a CSV run it becomes failed with video_status 'refused', which the
    /// next run sends again (as a retry: attempt + 1); a claimed table row goes back to pending with the next key.
    /// </summary>
    public string Release => $"""
        UPDATE {Table}
        SET state = CASE WHEN claimed_by IS NULL THEN 'failed' ELSE 'pending' END,
            attempt = CASE WHEN claimed_by IS NULL THEN attempt ELSE attempt + 1 END,
            idempotency_key = CASE WHEN claimed_by IS NULL THEN idempotency_key ELSE @NextIdempotencyKey END,
            video_status = 'refused', error_code = @ErrorCode, error_message = @ErrorMessage,
            claimed_by = NULL, lease_expires_at = NULL, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'
        """;

    /// <summary>
    /// The operator found the video of a create whose outcome was unknown: it is followed from now on like any
    /// submitted video. Only an entry still in that state changes.
    /// </summary>
    public string ResolveUnknownAsFound => $"""
        UPDATE {Table}
        SET state = 'submitted', video_id = @VideoId, video_status = NULL, error_code = NULL, error_message = NULL,
            submitted_at = @Now, completed_at = NULL, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'failed' AND video_status = 'unknown'
        """;

    /// <summary>
    /// The operator found no video of a create whose outcome was unknown and asks for it to be sent again: it
    /// becomes a refused entry, which the next run sends as a new attempt (as after a refusal).
    /// </summary>
    public string ResolveUnknownAsSendAgain => $"""
        UPDATE {Table}
        SET video_status = 'refused', error_code = 'send_again', error_message = @Reason, updated_at = @Now
        WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'failed' AND video_status = 'unknown'
        """;

    /// <summary>A campaign's entries whose create's outcome is unknown, in key order.</summary>
    public string SelectUnknownOutcomes => $"SELECT {EntryColumns} FROM {Table} WHERE campaign = @Campaign AND state = 'failed' AND video_status = 'unknown' ORDER BY recipient_key";

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

    /// <summary>A halted worker's claimed, unsent rows become pending again.</summary>
    public string ReturnClaims => $"UPDATE {Table} SET state = 'pending', claimed_by = NULL, lease_expires_at = NULL, updated_at = @Now WHERE campaign = @Campaign AND state = 'claimed' AND claimed_by = @Holder";

    /// <summary>Entries of a list of keys.</summary>
    public string SelectByKeys => $"SELECT {EntryColumns} FROM {Table} WHERE campaign = @Campaign AND {Engine.InList("recipient_key", "Keys")}";

    /// <summary>Stamp entries whose results reached the source.</summary>
    public string MarkWrittenBack => $"UPDATE {Table} SET written_back_at = @Now WHERE campaign = @Campaign AND {Engine.InList("recipient_key", "Keys")}";

    /// <summary>Entries per state.</summary>
    public string CountByState => $"SELECT state, COUNT(*) FROM {Table} WHERE campaign = @Campaign GROUP BY state";

    /// <summary>1 when the ledger holds any entry of the campaign, else 0: one probe of the primary key's prefix, whatever the campaign's size.</summary>
    public string AnyEntry => $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {Table} WHERE campaign = @Campaign) THEN 1 ELSE 0 END";

    /// <summary>
    /// The lengths of a campaign's keys that start with a zero: the widths an all-digit key is padded to when
    /// a spreadsheet may have dropped its leading zeros (<c>RowClassifier</c>). Only keys with a zero first
    /// are read, by the primary key's prefix.
    /// </summary>
    public string SelectZeroLedKeyWidths => $"SELECT DISTINCT {KeyLength} FROM {Table} WHERE campaign = @Campaign AND recipient_key LIKE '0%'";

    /// <summary>The length of recipient_key in the engine's function (LEN in SQL Server).</summary>
    protected virtual string KeyLength => "LENGTH(recipient_key)";

    /// <summary>Applied migration versions.</summary>
    public string SelectMigrations => $"SELECT version FROM {MigrationsTable}";

    /// <summary>Record one applied migration.</summary>
    public string RecordMigration => $"INSERT INTO {MigrationsTable} (version, description, applied_at) VALUES (@Version, @Description, @Now)";

    /// <summary>Table work some worker still has to do: pending, or held under a lease.</summary>
    public string CountOutstandingClaims => $"""
        SELECT COUNT(*) FROM {Table}
        WHERE campaign = @Campaign AND (state = 'pending' OR (state IN ('claimed', 'submitting') AND lease_expires_at IS NOT NULL))
        """;

    /// <summary>
    /// Videos the account is rendering as far as the ledger knows, every campaign together: sent (or being
    /// sent) and not finished, touched since @Since (older ones are long finished at HeyGen and only await
    /// a poll). Render slots count them.
    /// </summary>
    public string CountInFlight => $"SELECT COUNT(*) FROM {Table} WHERE state IN ('submitting', 'submitted') AND updated_at >= @Since";

    /// <summary>
    /// The account's videos ahead of one claimed entry (@Campaign, @Key): every one sent, and those being sent
    /// that were claimed before it (ties broken by campaign and key), touched since @Since. A create goes out
    /// only while fewer than the cap are ahead, so several processes on one ledger take turns in claim order.
    /// </summary>
    public string CountAhead => $"""
        SELECT COUNT(*) FROM {Table} e, (SELECT updated_at AS claimed_at FROM {Table} WHERE campaign = @Campaign AND recipient_key = @Key) me
        WHERE e.updated_at >= @Since
          AND (e.state = 'submitted'
               OR (e.state = 'submitting'
                   AND (e.updated_at < me.claimed_at
                        OR (e.updated_at = me.claimed_at
                            AND (e.campaign < @Campaign OR (e.campaign = @Campaign AND e.recipient_key < @Key))))))
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
            InsertSubmittingIfAbsent, EnqueuePending, ClaimBatch, SelectPage, RetryFailed, MarkSubmitted, RecordSession, AdoptSessionVideo, SelectBySession, MarkStatus, MarkCompleted,
            MarkFailed, Release, ResolveUnknownAsFound, ResolveUnknownAsSendAgain, SelectUnknownOutcomes, RenewLeases, BeginSubmitting, TakeOver, MarkRejected, DropClaim, ReturnClaims, SelectByKeys, MarkWrittenBack, CountByState, AnyEntry, SelectZeroLedKeyWidths,
            SelectMigrations, RecordMigration, CountOutstandingClaims, CountInFlight, CountAhead, RecordRunStarted, RecordRunFinished, SelectLastRun,
            SelectByVideoId, MarkCompletedByVideo, MarkFailedByVideo, RenewLinks, SetLocalPath, SelectLinksDue,
            InsertWebhookEventIfAbsent, CountWebhookEvent, PruneWebhookEvents,
            SelectApproval, UpdateSample, InsertSample, Approve, .. PageLedgerDialect.For(Engine.Kind).AllStatements,
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
