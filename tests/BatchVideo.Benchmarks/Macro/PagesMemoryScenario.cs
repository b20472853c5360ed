using System.Diagnostics;
using System.Globalization;
using BatchVideo.Campaigns;
using BatchVideo.Databases;
using BatchVideo.Ledger;
using BatchVideo.Sources;
using Dapper;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// Memory of one CSV write-back of a campaign with recipient pages (issue 25, step 6): a SQLite ledger of n completed
/// videos, each with its page token and a tenth of them viewed, written back into an n-row export with every page
/// column, as a <c>run</c> over the same file does. Prepared here; the write-back runs alone in a fresh child process
/// that reports its peak RSS and the bytes it allocated, so the figure is that of the write-back, not the set-up.
/// </summary>
internal static class PagesMemoryScenario
{
    public const string ProbeVerb = "probe-pages";
    public const double GoalPeakMegabytes = 200;
    private const string Campaign = "bench";

    private static readonly WriteBackColumns Columns = new()
    {
        Page = "page_url", Views = "views", FirstViewedAt = "first_viewed_at", WatchedPercent = "watched_percent", CtaClickedAt = "cta_clicked_at", EmailHtml = "email_html",
    };

    public static async Task<IReadOnlyList<Figure>> RunAsync(IReadOnlyList<int> sizes, CancellationToken ct)
    {
        var figures = new List<Figure>();
        foreach (var rows in sizes)
        {
            using var workspace = new Workspace($"pages{rows}");
            var ledger = workspace.FilePath("ledger.db");
            await PrepareLedgerAsync($"Data Source={ledger}", rows, ct);
            var csv = workspace.WriteContacts(rows);
            var (exit, output) = await ChildProcess.RunSelfAsync([ProbeVerb, ledger, csv], ct);
            var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => double.Parse(p[1], CultureInfo.InvariantCulture));
            var name = $"csv write-back with pages, {rows:#,0} rows";
            if (exit != 0 || !values.TryGetValue("peak_rss_mb", out var peak))
            {
                figures.Add(Figure.NotMeasured("pages-memory", name + ", peak RSS", $"<= {GoalPeakMegabytes} MB", $"probe failed (exit {exit}): {output}"));
                continue;
            }

            figures.Add(Figure.AtMost("pages-memory", name + ", peak RSS", peak, "MB", GoalPeakMegabytes,
                $"{values.GetValueOrDefault("rows_per_s"):#,0} rows/s, {values.GetValueOrDefault("written"):#,0} written"));
            figures.Add(Figure.Info("pages-memory", name + ", allocated", values.GetValueOrDefault("allocated_mb"), "MB", "GC.GetTotalAllocatedBytes over the write-back"));
        }

        return figures;
    }

    /// <summary>The child process: one write-back of the prepared ledger into the export, then its own figures.</summary>
    public static async Task<int> ProbeAsync(string[] args)
    {
        var (ledgerPath, csv) = (args[0], args[1]);
        BatchVideoServices.ConfigureDapper();
        var ledger = new LedgerStore(LedgerDialect.For(EngineKind.Sqlite), $"Data Source={ledgerPath}", TimeProvider.System);
        var run = new PreparedRun(Campaign, new CampaignOptions { Columns = Columns }, CsvContactSource.Open(csv, "id", Columns), null!, new RunRequest(Campaign, null, null))
        {
            PagesAt = new Uri("https://pages.example.com/"),
        };
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        await WriteBack.RunWriteBack.WriteAsync(ledger, run, new Links.StorageOptions(), CancellationToken.None);
        var elapsed = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long written;
        await using (var connection = await DatabaseEngine.Sqlite.OpenAsync($"Data Source={ledgerPath}", CancellationToken.None))
        {
            written = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ledger_entries WHERE written_back_at IS NOT NULL");
        }

        var lines = File.ReadLines(csv).Count() - 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"written={written}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows_per_s={lines / elapsed:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated_mb={allocated / 1048576.0:0.0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_rss_mb={PeakRss.OfSelfMegabytes():0.0}"));
        return lines == written ? 0 : 1;
    }

    /// <summary>n completed entries (keys C-1..C-n, as the export's), a page token each, and every tenth recipient's page viewed.</summary>
    private static async Task PrepareLedgerAsync(string connectionString, int rows, CancellationToken ct)
    {
        BatchVideoServices.ConfigureDapper();
        var ledger = new LedgerStore(LedgerDialect.For(EngineKind.Sqlite), connectionString, TimeProvider.System);
        await ledger.MigrateAsync(ct);
        await using (var connection = await DatabaseEngine.Sqlite.OpenAsync(connectionString, ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ledger_entries (campaign, recipient_key, state, attempt, idempotency_key, title_marker, video_id, video_status,
                                            video_url, video_page_url, thumbnail_url, created_at, updated_at, submitted_at, completed_at)
                WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < @Rows)
                SELECT @Campaign, 'C-' || i, 'completed', 1, 'i-' || i, 'm-' || i, 'video-' || i, 'completed',
                       'https://files.example/C-' || i || '.mp4', 'https://app.example/C-' || i, 'https://files.example/C-' || i || '.jpg', 0, 0, 0, 0
                FROM g
                """,
                new { Rows = rows, Campaign },
                cancellationToken: ct));
        }

        await ledger.EnsurePageTokensAsync(Campaign, ct);
        await using (var connection = await DatabaseEngine.Sqlite.OpenAsync(connectionString, ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE page_tokens SET views = 2, first_viewed_at = 1765000000000, watched_percent = 50, last_event_at = 1765000000000
                WHERE campaign = @Campaign AND CAST(substr(recipient_key, 3) AS INTEGER) % 10 = 0
                """,
                new { Campaign },
                cancellationToken: ct));
        }
    }
}
