using System.Data.Common;
using BatchVideo.Databases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Ledger;

/// <summary>How a ledger is protected: copies kept of a SQLite file, and the files it may share with a CRM table.</summary>
/// <param name="Backups">Copies of a SQLite ledger kept beside it, one taken before each run that changes it (0: none).</param>
/// <param name="SharedFiles">
/// SQLite files a table campaign reads: a ledger put in one of them shares it with the CRM's tables on
/// purpose. Any other file holding tables but no ledger is refused as another program's. Null when the
/// caller cannot tell (then such a file is taken as a new ledger, as before these checks).
/// </param>
public sealed record LedgerSafety(int Backups, IReadOnlyList<string>? SharedFiles)
{
    /// <summary>No backups, and no opinion on files holding other tables.</summary>
    public static readonly LedgerSafety None = new(0, null);
}

/// <summary>What a look at the ledger found: nothing there yet, or its schema version, and any problems.</summary>
public sealed record LedgerCheck(string Location, bool Absent, int Version, long? Entries, IReadOnlyList<string> Problems)
{
    public bool IsUsable => Problems.Count == 0;
}

/// <summary>
/// Checks that a ledger can be trusted before anything is sent on its word, and keeps copies of a SQLite
/// ledger. A damaged ledger is worse than none only in that it fails late: checked first, it stops the run
/// before the first create, with the file, the cause and the newest good backup.
/// </summary>
public sealed class LedgerHealth(LedgerDialect dialect, string connectionString, LedgerSafety safety, TimeProvider time)
{
    private static readonly Lock BackupGate = new();

    /// <summary>Where the ledger is, without secrets.</summary>
    public string Location => dialect.Engine.Describe(connectionString);

    /// <summary>The ledger's file when it is a SQLite file; null for a server or an in-memory database.</summary>
    public string? File => dialect.Engine.Kind == EngineKind.Sqlite && new SqliteConnectionStringBuilder(connectionString) is { Mode: not SqliteOpenMode.Memory, DataSource: { Length: > 0 } file } && file != ":memory:"
        ? file
        : null;

    /// <summary>
    /// Checks the ledger: for SQLite the file's header, the engine's own check (<c>PRAGMA quick_check</c>,
    /// or the slower <c>integrity_check</c> when <paramref name="thorough"/>) and whose tables it holds;
    /// for every engine the migration record and the tables it promises. A server that cannot be reached
    /// throws as before (that is not damage).
    /// </summary>
    public async Task<LedgerCheck> CheckAsync(bool thorough, CancellationToken ct)
    {
        var problems = new List<string>();
        if (File is { } file)
        {
            if (!System.IO.File.Exists(file) || new FileInfo(file).Length == 0)
            {
                return new LedgerCheck(file, Absent: true, 0, null, problems);
            }

            if (SqliteLedgerFile.HeaderProblem(file) is { } header && !Recovered(file))
            {
                problems.Add(header);
                return new LedgerCheck(file, Absent: false, 0, null, problems);
            }
        }

        await using var connection = File is { } path
            ? SqliteLedgerFile.OpenForCheck(path)
            : await dialect.Engine.OpenAsync(connectionString, ct);
        try
        {
            if (File is not null)
            {
                if (await SqliteLedgerFile.IntegrityProblemAsync((SqliteConnection)connection, thorough, ct) is { } integrity)
                {
                    problems.Add(integrity);
                    return new LedgerCheck(Location, Absent: false, 0, null, problems);
                }
            }

            return await CheckSchemaAsync(connection, problems, ct);
        }
        catch (SqliteException e) when (File is { } unusable && LedgerUnavailableException.From(e, unusable, unusable) is { } unavailable)
        {
            // A read-only or unopenable file is not a damaged one: never send the operator to restore a backup for it.
            throw unavailable;
        }
        catch (SqliteException e)
        {
            problems.Add($"SQLite cannot read it ({SqliteLedgerFile.Explain(e)})");
            return new LedgerCheck(Location, Absent: false, 0, null, problems);
        }
    }

    /// <summary>
    /// A header that promises more than the file holds, beside a write-ahead log with content, is most
    /// likely a checkpoint a full disk cut short (the pages are still in the log), not damage: SQLite is
    /// asked to finish the checkpoint, and the header is looked at again. A disk still full is said as such
    /// (<see cref="LedgerUnavailableException"/>), never as a damaged ledger.
    /// </summary>
    private static bool Recovered(string file)
    {
        if (!SqliteLedgerFile.HasWriteAheadLog(file))
        {
            return false;
        }

        try
        {
            SqliteLedgerFile.Checkpoint(file);
        }
        catch (SqliteException e) when (LedgerUnavailableException.From(e, file, file) is { } unavailable)
        {
            throw unavailable;
        }
        catch (SqliteException)
        {
            return false;
        }

        return SqliteLedgerFile.HeaderProblem(file) is null;
    }

    /// <summary>
    /// Before a run that may change the ledger: refuses a damaged one (<see cref="LedgerDamagedException"/>)
    /// and, when <paramref name="backUp"/>, copies a SQLite ledger first (unless it has not changed since
    /// the newest copy) and keeps the newest <see cref="LedgerSafety.Backups"/> copies.
    /// </summary>
    public async Task EnsureUsableAsync(bool backUp, CancellationToken ct)
    {
        var check = await CheckAsync(thorough: false, ct);
        if (!check.IsUsable)
        {
            throw await DescribeDamageAsync(check, ct);
        }

        if (backUp && !check.Absent && check.Version > 0 && safety.Backups > 0 && File is { } file)
        {
            // serve migrates at start, in its catch-up and in each job: one copy per change, not three of one state.
            lock (BackupGate)
            {
                if (SqliteLedgerFile.Backups(file) is not [var newest, ..] || SqliteLedgerFile.ChangedSince(file, newest))
                {
                    SqliteLedgerFile.Backup(file, SqliteLedgerFile.NextBackupPath(file, time.GetUtcNow()));
                    SqliteLedgerFile.Prune(file, safety.Backups);
                }
            }
        }
    }

    /// <summary>The newest backup of a SQLite ledger that passes the engine's check; null when none does.</summary>
    public async Task<string?> NewestGoodBackupAsync(CancellationToken ct)
    {
        if (File is not { } file)
        {
            return null;
        }

        foreach (var backup in SqliteLedgerFile.Backups(file))
        {
            var check = await new LedgerHealth(dialect, $"Data Source={backup}", LedgerSafety.None, time).CheckAsync(thorough: false, ct);
            if (check.IsUsable && !check.Absent)
            {
                return backup;
            }
        }

        return null;
    }

    /// <summary>The statements that check the schema, for the T-SQL parse test.</summary>
    public static IEnumerable<string> SchemaProbes(LedgerDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        yield return dialect.SelectMigrations;
        yield return $"SELECT {LedgerDialect.EntryColumns} FROM {dialect.Table} WHERE 1 = 0";
        foreach (var table in new[] { dialect.Table, dialect.RunsTable, dialect.WebhookEventsTable })
        {
            yield return $"SELECT * FROM {table} WHERE 1 = 0";
        }

        yield return $"SELECT COUNT(*) FROM {dialect.Table}";
    }

    private async Task<LedgerCheck> CheckSchemaAsync(DbConnection connection, List<string> problems, CancellationToken ct, bool again = false)
    {
        HashSet<int> applied;
        try
        {
            applied = (await connection.QueryAsync<int>(new CommandDefinition(dialect.SelectMigrations, cancellationToken: ct))).ToHashSet();
        }
        catch (DbException)
        {
            // No migration record: a new ledger, unless the database already holds tables that would clash.
            if (await ProbeAsync(connection, $"SELECT * FROM {dialect.Table} WHERE 1 = 0", ct) is null)
            {
                // Another machine may have committed its first migration between the two queries: look once more.
                if (!again && await ProbeAsync(connection, dialect.SelectMigrations, ct) is null)
                {
                    return await CheckSchemaAsync(connection, problems, ct, again: true);
                }

                problems.Add($"it has a table {dialect.Table} but no record of BatchVideo's migrations ({dialect.MigrationsTable}): it is not a ledger BatchVideo made");
            }
            else if (File is { } file && connection is SqliteConnection sqlite && !IsShared(file)
                && await SqliteLedgerFile.TablesAsync(sqlite, ct) is { Count: > 0 } tables)
            {
                problems.Add($"it is another program's SQLite database (tables {string.Join(", ", tables.Take(5))}), not a BatchVideo ledger: check Ledger:ConnectionString");
            }

            return new LedgerCheck(Location, Absent: true, 0, null, problems);
        }

        var known = dialect.Migrations.Max(m => m.Version);
        var version = applied.Count == 0 ? 0 : applied.Max();
        if (version > known)
        {
            problems.Add($"it was made by a newer BatchVideo (schema version {version}; this one knows up to {known}): run that version, or restore a backup taken before the upgrade");
        }
        else
        {
            string[] tables = [.. new[] { (1, dialect.Table), (3, dialect.RunsTable), (4, dialect.WebhookEventsTable) }.Where(t => version >= t.Item1).Select(t => t.Item2)];
            foreach (var table in tables)
            {
                if (await ProbeAsync(connection, $"SELECT * FROM {table} WHERE 1 = 0", ct) is { } missing)
                {
                    problems.Add($"its table {table} is missing or unreadable ({missing})");
                }
            }

            // Migrations are numbered, not always applied in order: a missing one below the newest is pending
            // (the next migrate applies it), not damage; the columns are compared only once all are applied.
            var pending = dialect.Migrations.Any(m => !applied.Contains(m.Version));
            if (version == known && !pending && problems.Count == 0 && await ProbeAsync(connection, $"SELECT {LedgerDialect.EntryColumns} FROM {dialect.Table} WHERE 1 = 0", ct) is { } shape)
            {
                problems.Add($"its table {dialect.Table} does not have the columns of schema version {version} ({shape})");
            }
        }

        long? entries = problems.Count == 0 && version > 0
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {dialect.Table}", cancellationToken: ct))
            : null;
        return new LedgerCheck(Location, Absent: version == 0, version, entries, problems);
    }

    /// <summary>Runs a statement that returns nothing; its error message, or null when it ran.</summary>
    private static async Task<string?> ProbeAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct));
            return null;
        }
        catch (DbException e)
        {
            return e.Message;
        }
    }

    private bool IsShared(string file) =>
        safety.SharedFiles is not { } shared || shared.Any(f => string.Equals(Path.GetFullPath(f), Path.GetFullPath(file), StringComparison.Ordinal));

    /// <summary>What a failed check means for the operator: the causes, what is at stake, and the newest good backup.</summary>
    public async Task<LedgerDamagedException> DescribeDamageAsync(LedgerCheck check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var backup = await NewestGoodBackupAsync(ct);
        List<string> details =
        [
            .. check.Problems,
            "The ledger is the record of who has been sent a video: a run without it would send again every row not yet written back once HeyGen's 24-hour idempotency window has passed, and pay for each twice.",
            backup is not null
                ? $"The newest good backup is {backup}: put it back with 'batchvideo db restore' (the damaged file is kept beside it), then run again."
                : File is not null
                    ? "No good backup of it was found beside it: restore the file from your own backups, or ask for help before starting a new ledger."
                    : "Restore the ledger's schema from the server's backups, or ask the database's administrator.",
        ];
        return new LedgerDamagedException($"The ledger {check.Location} cannot be used:", details);
    }
}

/// <summary>The ledger is unreadable, malformed or not a ledger: nothing may be sent on its word (exit code 2).</summary>
public sealed class LedgerDamagedException : Exception
{
    public LedgerDamagedException(string headline, IReadOnlyList<string> details)
        : base(headline + " " + string.Join(" ", details))
    {
        Headline = headline;
        Details = details;
    }

    public LedgerDamagedException()
        : this("The ledger cannot be used.", [])
    {
    }

    public LedgerDamagedException(string message)
        : this(message, [])
    {
    }

    public LedgerDamagedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Headline = message;
        Details = [];
    }

    public string Headline { get; }

    public IReadOnlyList<string> Details { get; }
}
