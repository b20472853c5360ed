using System.Diagnostics;
using BatchVideo.Databases;
using BatchVideo.Ledger;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using BatchVideo.Tests.Support;
using Dapper;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// The ledger and write-back on their own: rows taken through their three ledger writes (submitting,
/// submitted, completed) by many concurrent callers, then written back to a CRM table and a CSV file.
/// </summary>
internal static class LedgerScenario
{
    public const double GoalRowsPerSecond = 20_000;
    private const string Campaign = "bench";
    private const int Callers = 64;

    public static async Task<IReadOnlyList<Figure>> RunAsync(int rows, CancellationToken ct)
    {
        var figures = new List<Figure>();
        using var workspace = new Workspace("ledger");
        figures.AddRange(await MeasureAsync("sqlite", DatabaseEngine.Sqlite, $"Data Source={workspace.FilePath("crm.db")}", rows, workspace, ct));
        var postgres = PostgresServer.SharedOrNull;
        if (postgres is null)
        {
            figures.Add(Figure.NotMeasured("ledger", "postgres", $">= {GoalRowsPerSecond:#,0} rows/s", $"PostgreSQL not available: {PostgresServer.Unavailable}"));
        }
        else
        {
            try
            {
                figures.AddRange(await MeasureAsync("postgres", DatabaseEngine.Postgres, await postgres.CreateDatabaseAsync(), rows, workspace, ct));
            }
            finally
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                PostgresServer.StopShared();
            }
        }

        return figures;
    }

    private static async Task<IReadOnlyList<Figure>> MeasureAsync(string name, DatabaseEngine engine, string connectionString, int rows, Workspace workspace, CancellationToken ct)
    {
        BatchVideoServices.ConfigureDapper();
        var ledger = new LedgerStore(LedgerDialect.For(engine.Kind), connectionString, TimeProvider.System);
        await ledger.MigrateAsync(ct);
        var keys = Enumerable.Range(1, rows).Select(i => $"C-{i}").ToArray();

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = Callers, CancellationToken = ct }, async (key, token) =>
        {
            var marker = "bv-" + key;
            await ledger.TryBeginSubmissionAsync(Campaign, key, marker + "-a1", marker, token);
            await ledger.MarkSubmittedAsync(Campaign, key, "video-" + key, "waiting", token);
            await ledger.MarkCompletedAsync(Campaign, key, $"https://files.example/{key}.mp4", $"https://app.example/{key}", token);
        });
        var ledgerRate = rows / clock.Elapsed.TotalSeconds;
        var counts = await ledger.CountByStateAsync(Campaign, ct);
        var ledgerNote = counts.GetValueOrDefault(LedgerState.Completed) == rows
            ? $"{rows:#,0} rows x 3 writes, {Callers} concurrent callers"
            : $"WRONG RESULT: {counts.GetValueOrDefault(LedgerState.Completed)} completed of {rows}";

        await CreateContactsAsync(engine, connectionString, rows, ct);
        var table = await SqlTableSource.OpenAsync(
            engine, connectionString, new TableSourceOptions { Engine = name, Table = engine.Kind == EngineKind.Postgres ? "public.contacts" : "contacts" },
            "id", new WriteBackColumns(), TimeProvider.System, ct);
        clock.Restart();
        var tableResult = await WriteBackAsync(table, ledger, ct);
        var tableRate = rows / clock.Elapsed.TotalSeconds;

        var figures = new List<Figure>
        {
            Figure.AtLeast("ledger", $"{name}: ledger writes", ledgerRate, "rows/s", GoalRowsPerSecond, ledgerNote),
            Figure.AtLeast("ledger", $"{name}: write-back to a table", tableRate, "rows/s", GoalRowsPerSecond,
                tableResult == rows ? "keyset pages of 1,000, one UPDATE each, plus the ledger stamp" : $"WRONG RESULT: {tableResult} written of {rows}"),
        };

        if (engine.Kind == EngineKind.Sqlite)
        {
            var csv = CsvContactSource.Open(workspace.WriteContacts(rows, "writeback.csv"), "id");
            clock.Restart();
            var csvResult = await WriteBackAsync(csv, ledger, ct);
            figures.Add(Figure.AtLeast("ledger", "csv: write-back to the file", rows / clock.Elapsed.TotalSeconds, "rows/s", GoalRowsPerSecond,
                csvResult == rows ? "temp file, fsync, rename, plus the ledger stamp" : $"WRONG RESULT: {csvResult} written of {rows}"));
        }

        return figures;
    }

    /// <summary>What the runner does at the end of a run: look the rows up in the ledger, write, stamp.</summary>
    private static async Task<int> WriteBackAsync(IRecipientSource source, LedgerStore ledger, CancellationToken ct)
    {
        var result = await source.WriteBackAsync(
            async (keys, token) =>
            {
                var entries = await ledger.GetAsync(Campaign, keys, token);
                return entries.ToDictionary(e => e.Key, e => new WriteBackValues(e.Value.VideoId, e.Value.State, e.Value.VideoUrl), StringComparer.Ordinal);
            },
            ct);
        await ledger.MarkWrittenBackAsync(Campaign, result.WrittenKeys, ct);
        return result.WrittenKeys.Count;
    }

    private static async Task CreateContactsAsync(DatabaseEngine engine, string connectionString, int rows, CancellationToken ct)
    {
        await using var connection = await engine.OpenAsync(connectionString, ct);
        if (engine.Kind == EngineKind.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE public.contacts (id varchar(20) PRIMARY KEY, first_name text, company text, video_id varchar(64), video_status varchar(32), video_url text);
                INSERT INTO public.contacts (id, first_name, company) SELECT 'C-' || g, 'Name' || g, 'Company ' || g FROM generate_series(1, @Rows) AS g;
                """,
                new { Rows = rows },
                cancellationToken: ct));
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                CREATE TABLE contacts (id TEXT PRIMARY KEY, first_name TEXT, company TEXT, video_id TEXT, video_status TEXT, video_url TEXT);
                INSERT INTO contacts (id, first_name, company)
                WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < @Rows)
                SELECT 'C-' || i, 'Name' || i, 'Company ' || i FROM g;
                """,
                new { Rows = rows },
                cancellationToken: ct));
        }
    }
}
