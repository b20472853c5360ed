using System.Data.Common;
using Dapper;

namespace BatchVideo.Ledger;

/// <summary>
/// The ledger: per campaign and recipient, what was sent to HeyGen and what came back. It is the
/// single source of truth for "did we already pay for this recipient", shared by every run.
/// </summary>
public sealed class LedgerStore
{
    private const string Columns = """
        campaign, recipient_key, state, attempt, idempotency_key, title_marker, video_id, video_status,
        video_url, video_page_url, error_code, error_message, created_at, updated_at, submitted_at,
        completed_at, written_back_at
        """;

    private readonly LedgerDialect dialect;
    private readonly string connectionString;
    private readonly TimeProvider time;

    static LedgerStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public LedgerStore(LedgerDialect dialect, string connectionString, TimeProvider time)
    {
        this.dialect = dialect;
        this.connectionString = connectionString;
        this.time = time;
    }

    public LedgerDialect Dialect => dialect;

    /// <summary>Applies the migrations not yet applied; returns the ones it ran.</summary>
    public async Task<IReadOnlyList<LedgerMigration>> MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(dialect.CreateMigrationsTable, cancellationToken: ct));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            $"SELECT version FROM {dialect.MigrationsTable}", cancellationToken: ct))).ToHashSet();
        var ran = new List<LedgerMigration>();
        foreach (var migration in dialect.Migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO {dialect.MigrationsTable} (version, description, applied_at) VALUES (@Version, @Description, @Now)",
                new { migration.Version, migration.Description, Now = Now() },
                transaction,
                cancellationToken: ct));
            await transaction.CommitAsync(ct);
            ran.Add(migration);
        }

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

        await using var connection = await OpenAsync(ct);
        HashSet<int> applied;
        try
        {
            applied = (await connection.QueryAsync<int>(new CommandDefinition(
                $"SELECT version FROM {dialect.MigrationsTable}", cancellationToken: ct))).ToHashSet();
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

        await using var connection = await OpenAsync(ct);
        foreach (var chunk in keys.Chunk(dialect.MaxKeysPerQuery))
        {
            var rows = await connection.QueryAsync<LedgerEntry>(new CommandDefinition(
                $"SELECT {Columns} FROM {dialect.Table} WHERE campaign = @Campaign AND recipient_key IN @Keys",
                new { Campaign = campaign, Keys = chunk },
                cancellationToken: ct));
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
        await using var connection = await OpenAsync(ct);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            dialect.InsertSubmittingIfAbsent,
            new { Campaign = campaign, RecipientKey = key, IdempotencyKey = idempotencyKey, TitleMarker = titleMarker, Now = Now() },
            cancellationToken: ct));
        return inserted == 1;
    }

    /// <summary>Turns a failed entry back into a submitting one with a fresh idempotency key (operator's choice).</summary>
    public Task<bool> TryRetryFailedAsync(string campaign, string key, int attempt, string idempotencyKey, CancellationToken ct) =>
        UpdateAsync(
            $"""
            UPDATE {dialect.Table}
            SET state = 'submitting', attempt = @Attempt + 1, idempotency_key = @IdempotencyKey, video_id = NULL,
                video_status = NULL, video_url = NULL, video_page_url = NULL, error_code = NULL, error_message = NULL,
                submitted_at = NULL, completed_at = NULL, updated_at = @Now
            WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'failed' AND attempt = @Attempt
            """,
            new { Campaign = campaign, Key = key, Attempt = attempt, IdempotencyKey = idempotencyKey, Now = Now() },
            ct);

    public Task<bool> MarkSubmittedAsync(string campaign, string key, string videoId, string? status, CancellationToken ct) =>
        UpdateAsync(
            $"""
            UPDATE {dialect.Table}
            SET state = 'submitted', video_id = @VideoId, video_status = @Status, submitted_at = @Now, updated_at = @Now
            WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'
            """,
            new { Campaign = campaign, Key = key, VideoId = videoId, Status = status, Now = Now() },
            ct);

    /// <summary>Records a status seen while the video renders (no state change).</summary>
    public Task<bool> MarkStatusAsync(string campaign, string key, string status, CancellationToken ct) =>
        UpdateAsync(
            $"""
            UPDATE {dialect.Table} SET video_status = @Status, updated_at = @Now
            WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitted'
            """,
            new { Campaign = campaign, Key = key, Status = status, Now = Now() },
            ct);

    public Task<bool> MarkCompletedAsync(string campaign, string key, string? videoUrl, string? pageUrl, CancellationToken ct) =>
        UpdateAsync(
            $"""
            UPDATE {dialect.Table}
            SET state = 'completed', video_status = 'completed', video_url = @VideoUrl, video_page_url = @PageUrl,
                error_code = NULL, error_message = NULL, completed_at = @Now, updated_at = @Now
            WHERE campaign = @Campaign AND recipient_key = @Key AND state IN ('submitted', 'completed')
            """,
            new { Campaign = campaign, Key = key, VideoUrl = videoUrl, PageUrl = pageUrl, Now = Now() },
            ct);

    /// <summary>Records a failure: a refused create (no video) or a failed render (video id kept).</summary>
    public Task<bool> MarkFailedAsync(string campaign, string key, string? videoStatus, string errorCode, string errorMessage, CancellationToken ct) =>
        UpdateAsync(
            $"""
            UPDATE {dialect.Table}
            SET state = 'failed', video_status = @VideoStatus, error_code = @ErrorCode, error_message = @ErrorMessage,
                completed_at = @Now, updated_at = @Now
            WHERE campaign = @Campaign AND recipient_key = @Key AND state IN ('submitting', 'submitted')
            """,
            new { Campaign = campaign, Key = key, VideoStatus = videoStatus, ErrorCode = errorCode, ErrorMessage = errorMessage, Now = Now() },
            ct);

    /// <summary>Forgets a submitting entry whose create HeyGen refused without creating anything (bad key, no credit).</summary>
    public Task<bool> ReleaseAsync(string campaign, string key, CancellationToken ct) =>
        UpdateAsync(
            $"DELETE FROM {dialect.Table} WHERE campaign = @Campaign AND recipient_key = @Key AND state = 'submitting'",
            new { Campaign = campaign, Key = key },
            ct);

    public async Task MarkWrittenBackAsync(string campaign, IReadOnlyList<string> keys, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var now = Now();
        foreach (var chunk in keys.Chunk(dialect.MaxKeysPerQuery))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE {dialect.Table} SET written_back_at = @Now WHERE campaign = @Campaign AND recipient_key IN @Keys",
                new { Campaign = campaign, Keys = chunk, Now = now },
                cancellationToken: ct));
        }
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByStateAsync(string campaign, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<(string State, int Count)>(new CommandDefinition(
            $"SELECT state, COUNT(*) FROM {dialect.Table} WHERE campaign = @Campaign GROUP BY state",
            new { Campaign = campaign },
            cancellationToken: ct));
        return rows.ToDictionary(r => r.State, r => r.Count, StringComparer.Ordinal);
    }

    private async Task<bool> UpdateAsync(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)) > 0;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = dialect.CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            if (dialect.OnOpen is { } setup)
            {
                await connection.ExecuteAsync(new CommandDefinition(setup, cancellationToken: ct));
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();
}

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
