using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace BatchVideo.Tests.Ledger;

/// <summary>The SQLite ledger copies itself before each run that changes it, keeps the newest few, and each copy is a whole ledger.</summary>
[TestFixture]
[Category("Integration")]
public sealed class LedgerBackupTests
{
    [Test]
    public async Task A_backup_is_taken_before_each_changing_run_and_only_the_newest_are_kept()
    {
        await using var harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50) });
        harness.WriteConfig(c => c["Ledger"]!["Backups"] = 2);
        var ledger = harness.Folder.File("ledger.db");
        var counts = new List<int>();
        for (var rows = 1; rows <= 4; rows++)
        {
            harness.WriteCsv(rows);
            await harness.RunAsync(harness.Folder.File("contacts.csv"));
            counts.Add(SqliteLedgerFile.Backups(ledger).Count);
        }

        await harness.RunAsync(harness.Folder.File("contacts.csv"), dryRun: true);

        // The first run had no ledger to copy; each later run copied the ledger as the run before left it.
        Assert.That(counts, Is.EqualTo(new[] { 0, 1, 2, 2 }));
        var backups = SqliteLedgerFile.Backups(ledger);
        Assert.That(backups, Has.Count.EqualTo(2), "a dry run changes nothing, so it copies nothing");
        var entries = new List<long?>();
        foreach (var backup in backups)
        {
            var check = await new LedgerHealth(new SqliteLedgerDialect(), $"Data Source={backup}", LedgerSafety.None, TimeProvider.System).CheckAsync(thorough: true, CancellationToken.None);
            Assert.That(check.Problems, Is.Empty);
            entries.Add(check.Entries);
        }

        Assert.That(entries, Is.EqualTo(new long?[] { 3, 2 }), "newest first: taken before the 4th and the 3rd run");
    }

    [Test]
    public async Task A_ledger_unchanged_since_its_newest_copy_is_not_copied_again_even_when_asked_at_once()
    {
        using var folder = new TempFolder();
        var file = folder.File("ledger.db");
        var store = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={file}", TimeProvider.System, new LedgerSafety(3, []));
        await store.MigrateAsync(CancellationToken.None);
        await store.TryBeginSubmissionAsync("welcome", "C-1", "idem-1", "bv-1", CancellationToken.None);

        // serve asks three times as it starts: the command, the missed-run catch-up and the first job.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.MigrateAsync(CancellationToken.None)));
        var afterStart = SqliteLedgerFile.Backups(file).Count;
        await store.TryBeginSubmissionAsync("welcome", "C-2", "idem-2", "bv-2", CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);

        Assert.That(afterStart, Is.EqualTo(1));
        Assert.That(SqliteLedgerFile.Backups(file), Has.Count.EqualTo(2), "a change since the copy is copied");
    }

    [Test]
    public async Task No_backups_when_none_are_asked_for()
    {
        await using var harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50) });
        harness.WriteConfig(c => c["Ledger"]!["Backups"] = 0);
        harness.WriteCsv(2);

        await harness.RunAsync(harness.Folder.File("contacts.csv"));
        await harness.RunAsync(harness.Folder.File("contacts.csv"));

        Assert.That(SqliteLedgerFile.Backups(harness.Folder.File("ledger.db")), Is.Empty);
    }

    [Test]
    public async Task A_ledger_in_a_crm_database_shared_on_purpose_is_not_taken_for_a_foreign_file()
    {
        using var folder = new TempFolder();
        var file = folder.File("crm.db");
        await using (var crm = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await crm.OpenAsync();
            await using var create = crm.CreateCommand();
            create.CommandText = "CREATE TABLE contacts (id TEXT PRIMARY KEY)";
            await create.ExecuteNonQueryAsync();
        }

        var shared = new LedgerHealth(new SqliteLedgerDialect(), $"Data Source={file}", new LedgerSafety(0, [file]), TimeProvider.System);
        var alone = new LedgerHealth(new SqliteLedgerDialect(), $"Data Source={file}", new LedgerSafety(0, []), TimeProvider.System);

        Assert.That((await shared.CheckAsync(thorough: false, CancellationToken.None)).Problems, Is.Empty);
        Assert.That((await alone.CheckAsync(thorough: false, CancellationToken.None)).Problems.Single(), Does.Contain("another program's SQLite database (tables contacts)"));
    }

    [Test]
    public async Task A_ledger_from_a_newer_version_is_refused()
    {
        using var folder = new TempFolder();
        var file = folder.File("ledger.db");
        var store = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={file}", TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO batchvideo_migrations (version, description, applied_at) VALUES (99, 'from the future', 0)";
            await insert.ExecuteNonQueryAsync();
        }

        var refused = await Assert.ThrowsAsync<LedgerDamagedException>(async () => await store.MigrateAsync(CancellationToken.None));

        Assert.That(refused!.Details[0], Does.Contain("made by a newer BatchVideo (schema version 99"));
    }

    [TestCase("postgres", Category = "Postgres")]
    [TestCase("sqlite")]
    public async Task A_ledger_missing_a_table_its_migrations_promise_is_refused_on_every_engine(string engine)
    {
        using var folder = new TempFolder();
        await using var database = await TestDatabase.CreateAsync(engine, folder);
        var dialect = LedgerDialect.For(database.Engine.Kind);
        var store = new LedgerStore(dialect, database.ConnectionString, TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        await database.ExecuteAsync($"DROP TABLE {dialect.RunsTable}");

        var refused = await Assert.ThrowsAsync<LedgerDamagedException>(async () => await store.MigrateAsync(CancellationToken.None));

        Assert.That(refused!.Details[0], Does.Contain($"its table {dialect.RunsTable} is missing or unreadable"));
        Assert.That(refused.Headline, Does.Contain(store.Location));
    }

    [Test]
    public void Schema_probes_parse_as_TSql()
    {
        foreach (var sql in LedgerHealth.SchemaProbes(new SqlServerLedgerDialect()))
        {
            var parser = new TSql160Parser(initialQuotedIdentifiers: true);
            using var reader = new StringReader(sql);

            parser.Parse(reader, out var errors);

            Assert.That(errors, Is.Empty, sql);
        }
    }
}
