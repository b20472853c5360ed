using System.Data.Common;
using Dapper;
using Polly;

namespace BatchVideo.Ledger;

/// <summary>
/// The ledger: per campaign and recipient, what was sent to HeyGen and what came back. It is the
/// single source of truth for "did we already pay for this recipient", shared by every run.
/// </summary>
public sealed partial class LedgerStore
{
    private readonly LedgerDialect dialect;
    private readonly string connectionString;
    private readonly TimeProvider time;

    private readonly ResiliencePipeline retry;
    private readonly LedgerWriter writer;
    private readonly LedgerHealth health;

    /// <param name="safety">Backups to keep of a SQLite ledger (none by default) and the CRM files it may share.</param>
    /// <param name="retry">The ledger's retry pipeline (<see cref="Databases.DatabaseRetry.Ledger"/>); built on <paramref name="time"/> when not given.</param>
    public LedgerStore(LedgerDialect dialect, string connectionString, TimeProvider time, LedgerSafety? safety = null, ResiliencePipeline? retry = null)
    {
        this.dialect = dialect;
        this.connectionString = connectionString;
        this.time = time;
        this.retry = retry ?? Databases.DatabaseRetry.BuildLedger(time);
        health = new LedgerHealth(dialect, connectionString, safety ?? LedgerSafety.None, time);
        writer = new LedgerWriter(dialect.Engine, connectionString, this.retry, Explain);
    }

    /// <summary>Its checks and, for SQLite, its backups.</summary>
    public LedgerHealth Health => health;

    public LedgerDialect Dialect => dialect;

    /// <summary>Where the ledger is, without secrets, for messages.</summary>
    public string Location => dialect.Engine.Describe(connectionString);

    /// <summary>
    /// Applies the migrations not yet applied and returns them. Several machines may start at once, so it
    /// all happens in one transaction under an exclusive lock: the first applies, the others find it done.
    /// </summary>
    public async Task<IReadOnlyList<LedgerMigration>> MigrateAsync(CancellationToken ct)
    {
        try
        {
            return await MigrateOnceAsync(ct);
        }
        catch (Exception e) when (LedgerUnavailableException.From(e, Location, health.File) is { } unavailable && unavailable != e)
        {
            throw unavailable;
        }
    }

    private async Task<IReadOnlyList<LedgerMigration>> MigrateOnceAsync(CancellationToken ct)
    {
        // Nothing is sent on the word of a damaged ledger; a sound SQLite one is copied before it changes.
        await health.EnsureUsableAsync(backUp: true, ct);
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (dialect.MigrationLock is { } takeLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(takeLock, transaction: transaction, cancellationToken: ct));
        }

        foreach (var statement in dialect.Bootstrap)
        {
            await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: ct));
        }

        var applied = (await connection.QueryAsync<int>(new CommandDefinition(dialect.SelectMigrations, transaction: transaction, cancellationToken: ct))).ToHashSet();
        var ran = new List<LedgerMigration>();
        foreach (var migration in dialect.Migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            foreach (var statement in migration.Statements)
            {
                await connection.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: ct));
            }

            await connection.ExecuteAsync(new CommandDefinition(
                dialect.RecordMigration,
                new { migration.Version, migration.Description, Now = Now() },
                transaction,
                cancellationToken: ct));
            ran.Add(migration);
        }

        await transaction.CommitAsync(ct);
        return ran;
    }

    /// <summary>
    /// Whether an earlier run created the ledger, found without creating or changing anything (for dry
    /// runs, validate and preview).
    /// </summary>
    public async Task<LedgerStatus> StatusAsync(CancellationToken ct)
    {
        if (!dialect.MayExist(connectionString))
        {
            return LedgerStatus.Absent;
        }

        await health.EnsureUsableAsync(backUp: false, ct);
        await using var connection = await OpenAsync(ct);
        HashSet<int> applied;
        try
        {
            applied = (await connection.QueryAsync<int>(new CommandDefinition(
                dialect.SelectMigrations, cancellationToken: ct))).ToHashSet();
        }
        catch (DbException)
        {
            return LedgerStatus.Absent; // the database is there, the ledger's tables are not
        }

        return applied.Count == 0 ? LedgerStatus.Absent
            : dialect.Migrations.All(m => applied.Contains(m.Version)) ? LedgerStatus.Current
            : LedgerStatus.NeedsMigration;
    }

    /// <summary>The entries of the given recipients that exist, by key.</summary>
    public async Task<Dictionary<string, LedgerEntry>> GetAsync(string campaign, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var result = new Dictionary<string, LedgerEntry>(keys.Count, StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return result;
        }

        foreach (var chunk in keys.Chunk(dialect.MaxKeysPerQuery))
        {
            var rows = await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                    dialect.SelectByKeys,
                    new { Campaign = campaign, Keys = chunk },
                    cancellationToken: token)),
                ct);
            foreach (var row in rows)
            {
                result[row.RecipientKey] = row;
            }
        }

        return result;
    }

    public async Task<LedgerEntry?> GetAsync(string campaign, string key, CancellationToken ct)
    {
        var found = await GetAsync(campaign, [key], ct);
        return found.GetValueOrDefault(key);
    }

    /// <summary>
    /// Claims a recipient before its create is sent. False means another run holds an entry for it,
    /// so this run must not send anything.
    /// </summary>
    public async Task<bool> TryBeginSubmissionAsync(string campaign, string key, string idempotencyKey, string titleMarker, CancellationToken ct)
    {
        var inserted = await writer.ExecuteAsync(
            dialect.InsertSubmittingIfAbsent,
            new { Campaign = campaign, RecipientKey = key, IdempotencyKey = idempotencyKey, TitleMarker = titleMarker, Now = Now() },
            ct);
        return inserted == 1;
    }

    /// <summary>Turns a failed entry back into a submitting one with a fresh idempotency key (operator's choice).</summary>
    public Task<bool> TryRetryFailedAsync(string campaign, string key, int attempt, string idempotencyKey, CancellationToken ct) =>
        WriteAsync(
            dialect.RetryFailed,
            new { Campaign = campaign, Key = key, Attempt = attempt, IdempotencyKey = idempotencyKey, Now = Now() },
            ct);

    public Task<bool> MarkSubmittedAsync(string campaign, string key, string videoId, string? status, CancellationToken ct) =>
        WriteAsync(
            dialect.MarkSubmitted,
            new { Campaign = campaign, Key = key, VideoId = videoId, Status = status, Now = Now() },
            ct);

    /// <summary>Keeps the Video Agent session beside the video it made (no state change).</summary>
    public Task<bool> RecordSessionAsync(string campaign, string key, string videoId, string sessionId, CancellationToken ct) =>
        WriteAsync(
            dialect.RecordSession,
            new { Campaign = campaign, Key = key, VideoId = videoId, SessionId = sessionId },
            ct);

    /// <summary>Records a status seen while the video renders (no state change).</summary>
    public Task<bool> MarkStatusAsync(string campaign, string key, string status, CancellationToken ct) =>
        WriteAsync(
            dialect.MarkStatus,
            new { Campaign = campaign, Key = key, Status = status, Now = Now() },
            ct);

    public Task<bool> MarkCompletedAsync(string campaign, string key, string? videoUrl, string? pageUrl, CancellationToken ct) =>
        MarkCompletedAsync(campaign, key, new VideoLinks(videoUrl, pageUrl, null, null), ct);

    public Task<bool> MarkCompletedAsync(string campaign, string key, VideoLinks links, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(links);
        return WriteAsync(
            dialect.MarkCompleted,
            new { Campaign = campaign, Key = key, links.VideoUrl, links.PageUrl, links.ThumbnailUrl, links.ExpiresAt, links.SharePageUrl, links.GifUrl, links.CaptionedVideoUrl, links.SubtitleUrl, links.Duration, Now = Now() },
            ct);
    }

    /// <summary>
    /// The entry that holds this video, whatever its campaign (webhooks name only the video). Null when
    /// no entry does, e.g. a video of an attempt that was since retried.
    /// </summary>
    public async Task<LedgerEntry?> FindByVideoIdAsync(string videoId, CancellationToken ct) =>
        (await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(dialect.SelectByVideoId, new { VideoId = videoId }, cancellationToken: token)),
            ct)).FirstOrDefault();

    /// <summary>Completes the entry holding this video (a webhook's view): no-op when none is rendering or done.</summary>
    public Task<bool> MarkCompletedByVideoAsync(string videoId, VideoLinks links, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(links);
        return UpdateAsync(
            dialect.MarkCompletedByVideo,
            new { VideoId = videoId, links.VideoUrl, links.PageUrl, links.ThumbnailUrl, links.ExpiresAt, links.SharePageUrl, links.GifUrl, links.CaptionedVideoUrl, links.SubtitleUrl, links.Duration, Now = Now() },
            ct);
    }

    /// <summary>Fails the entry holding this video if it is still rendering (a late fail never undoes a completion).</summary>
    public Task<bool> MarkFailedByVideoAsync(string videoId, string errorCode, string errorMessage, CancellationToken ct) =>
        UpdateAsync(dialect.MarkFailedByVideo, new { VideoId = videoId, ErrorCode = errorCode, ErrorMessage = errorMessage, Now = Now() }, ct);

    /// <summary>Stores freshly signed links of a completed video (refresh).</summary>
    public Task<bool> RenewLinksAsync(string campaign, string key, VideoLinks links, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(links);
        return UpdateAsync(
            dialect.RenewLinks,
            new { Campaign = campaign, Key = key, links.VideoUrl, links.PageUrl, links.ThumbnailUrl, links.ExpiresAt, links.SharePageUrl, links.GifUrl, links.CaptionedVideoUrl, links.SubtitleUrl, links.Duration, Now = Now() },
            ct);
    }

    /// <summary>Records where the video's file was stored.</summary>
    public Task<bool> SetLocalPathAsync(string campaign, string key, string localPath, CancellationToken ct) =>
        UpdateAsync(dialect.SetLocalPath, new { Campaign = campaign, Key = key, LocalPath = localPath, Now = Now() }, ct);

    /// <summary>Completed entries whose signed link expires before <paramref name="before"/> (or has no known expiry), in pages.</summary>
    public async IAsyncEnumerable<IReadOnlyList<LedgerEntry>> ListLinksDueAsync(
        string campaign,
        DateTimeOffset before,
        int pageSize,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var after = "";
        while (true)
        {
            var page = (await WithConnectionAsync(
                (connection, token) => connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                    dialect.SelectLinksDue,
                    new { Campaign = campaign, AfterKey = after, Before = before.ToUnixTimeMilliseconds(), Limit = pageSize },
                    cancellationToken: token)),
                ct)).ToList();
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page;
            after = page[^1].RecipientKey;
        }
    }

    /// <summary>True when a webhook event with this id was already processed.</summary>
    public async Task<bool> HasWebhookEventAsync(string eventId, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.CountWebhookEvent, new { EventId = eventId }, cancellationToken: token)),
            ct) > 0;

    /// <summary>Records a processed webhook event; false when it was recorded before (a duplicate).</summary>
    public async Task<bool> RecordWebhookEventAsync(string eventId, string eventType, string? videoId, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                dialect.InsertWebhookEventIfAbsent,
                new { EventId = eventId, EventType = eventType, VideoId = videoId, Now = Now() },
                cancellationToken: token)),
            ct) == 1;

    /// <summary>Forgets event ids received before <paramref name="before"/>, long after HeyGen stops redelivering them.</summary>
    public Task<int> PruneWebhookEventsAsync(DateTimeOffset before, CancellationToken ct) =>
        WithConnectionAsync(
            (connection, token) => connection.ExecuteAsync(new CommandDefinition(dialect.PruneWebhookEvents, new { Before = before.ToUnixTimeMilliseconds() }, cancellationToken: token)),
            ct).AsTask();

    /// <summary>Records a failure: a refused create (no video) or a failed render (video id kept).</summary>
    public Task<bool> MarkFailedAsync(string campaign, string key, string? videoStatus, string errorCode, string errorMessage, CancellationToken ct) =>
        WriteAsync(
            dialect.MarkFailed,
            new { Campaign = campaign, Key = key, VideoStatus = videoStatus, ErrorCode = errorCode, ErrorMessage = errorMessage, Now = Now() },
            ct);

    /// <summary>
    /// Records that HeyGen refused a submitting entry's create without creating anything (bad key, no credit):
    /// the next send gets a new attempt and Idempotency-Key (<paramref name="nextIdempotencyKey"/> for a table row).
    /// </summary>
    public Task<bool> ReleaseAsync(string campaign, string key, string nextIdempotencyKey, string errorCode, string errorMessage, CancellationToken ct) =>
        WriteAsync(
            dialect.Release,
            new { Campaign = campaign, Key = key, NextIdempotencyKey = nextIdempotencyKey, ErrorCode = errorCode, ErrorMessage = errorMessage, Now = Now() },
            ct);

    public async Task MarkWrittenBackAsync(string campaign, IEnumerable<string> keys, CancellationToken ct)
    {
        var now = Now();
        foreach (var chunk in keys.Chunk(dialect.MaxKeysPerQuery))
        {
            await WithConnectionAsync(
                (connection, token) => connection.ExecuteAsync(new CommandDefinition(
                    dialect.MarkWrittenBack,
                    new { Campaign = campaign, Keys = chunk, Now = now },
                    cancellationToken: token)),
                ct);
        }
    }

    /// <summary>The lengths of the campaign's keys that start with a zero, widest first (<see cref="LedgerDialect.SelectZeroLedKeyWidths"/>).</summary>
    public async Task<IReadOnlyList<int>> ZeroLedKeyWidthsAsync(string campaign, CancellationToken ct)
    {
        var widths = await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<int>(new CommandDefinition(
                dialect.SelectZeroLedKeyWidths,
                new { Campaign = campaign },
                cancellationToken: token)),
            ct);
        return [.. widths.OrderDescending()];
    }

    /// <summary>Whether the ledger holds any entry of the campaign: false for a campaign that has never sent a row.</summary>
    public async Task<bool> HasEntriesAsync(string campaign, CancellationToken ct) =>
        await WithConnectionAsync(
            (connection, token) => connection.ExecuteScalarAsync<int>(new CommandDefinition(dialect.AnyEntry, new { Campaign = campaign }, cancellationToken: token)),
            ct) == 1;

    public async Task<IReadOnlyDictionary<string, int>> CountByStateAsync(string campaign, CancellationToken ct)
    {
        var rows = await WithConnectionAsync(
            (connection, token) => connection.QueryAsync<(string State, int Count)>(new CommandDefinition(
                dialect.CountByState,
                new { Campaign = campaign },
                cancellationToken: token)),
            ct);
        return rows.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
    }

    private async Task<bool> UpdateAsync(string sql, object parameters, CancellationToken ct) =>
        await WithConnectionAsync((connection, token) => connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: token)), ct) > 0;

    /// <summary>
    /// A write of one row's state, committed together with the writes other rows make meanwhile (group
    /// commit); it completes once committed.
    /// </summary>
    private async Task<bool> WriteAsync(string sql, object parameters, CancellationToken ct) =>
        await writer.ExecuteAsync(sql, parameters, ct) > 0;

    private Task<DbConnection> OpenAsync(CancellationToken ct) => dialect.Engine.OpenAsync(connectionString, ct);

    /// <summary>
    /// Runs one unit of ledger work on a fresh connection, again after a transient failure (a server
    /// restarting, a failover): a result HeyGen already gave must reach the ledger.
    /// </summary>
    private async ValueTask<T> WithConnectionAsync<T>(Func<DbConnection, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        try
        {
            return await retry.ExecuteAsync(
                async token =>
                {
                    await using var connection = await OpenAsync(token);
                    return await work(connection, token);
                },
                ct);
        }
        catch (Exception e) when (Explain(e) is LedgerUnavailableException unavailable && unavailable != e)
        {
            throw unavailable;
        }
    }

    /// <summary>A full disk, a read-only file or a refused login as the operator's sentence; any other error as it is.</summary>
    private Exception Explain(Exception e) => LedgerUnavailableException.From(e, Location, health.File) ?? e;

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}

/// <summary>A recipient to enqueue: its key and the identity its create will carry.</summary>
public sealed record PendingWork(string Key, string IdempotencyKey, string TitleMarker);

/// <summary>What a read-only look at the ledger found.</summary>
public enum LedgerStatus
{
    /// <summary>No ledger yet: no recipient of any campaign was sent.</summary>
    Absent,

    /// <summary>A ledger this version can read as it is.</summary>
    Current,

    /// <summary>A ledger from an older version: the next normal run upgrades it.</summary>
    NeedsMigration,
}
