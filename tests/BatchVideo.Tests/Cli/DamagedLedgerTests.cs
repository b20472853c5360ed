using BatchVideo.Tests.Support;
using Microsoft.Data.Sqlite;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The ledger is the one file that says who has been paid for: a damaged one stops the real process
/// before any create, says what is at stake and names the newest good backup, and db restore puts it back.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DamagedLedgerTests
{
    private static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData((Action<string>)(file =>
        {
            using var stream = File.Open(file, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        }), "it is cut short").SetArgDisplayNames("cut short");
        yield return new TestCaseData((Action<string>)(file => File.WriteAllText(file, "id,first_name\nC-1,Ann\n")), "it is not a SQLite database")
            .SetArgDisplayNames("overwritten with text");
        yield return new TestCaseData((Action<string>)(file =>
        {
            File.Delete(file);
            using var other = new SqliteConnection($"Data Source={file};Pooling=False");
            other.Open();
            using var create = other.CreateCommand();
            create.CommandText = "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.com')";
            create.ExecuteNonQuery();
        }), "it is another program's SQLite database (tables moz_places)").SetArgDisplayNames("another program's SQLite file");
        yield return new TestCaseData((Action<string>)(file =>
        {
            // Pages in the middle overwritten: the header is fine, SQLite's own check is not.
            using var stream = File.Open(file, FileMode.Open);
            for (var page = 1; page < stream.Length / 4096; page++)
            {
                stream.Position = page * 4096L;
                stream.Write(Enumerable.Repeat((byte)7, 512).ToArray());
            }
        }), "SQLite").SetArgDisplayNames("pages overwritten");
    }

    [TestCaseSource(nameof(Damages))]
    public async Task Damaged_ledger_exits_2_before_any_create_naming_the_file_the_cause_and_the_backup(Action<string> damage, string cause)
    {
        await using var harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteCsv(3);
        var first = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var second = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Error + second.Error);
        var ledger = harness.Folder.File("ledger.db");
        var backup = Directory.GetFiles(harness.Folder.Path, "ledger.db.backup-*").Single();
        damage(ledger);
        harness.WriteCsv(6);
        var creates = harness.Sandbox.Stats.CreateRequests;

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain($"The ledger {ledger} cannot be used:"));
        Assert.That(result.Error, Does.Contain(cause));
        Assert.That(result.Error, Does.Contain("would send again every row not yet written back"));
        Assert.That(result.Error, Does.Contain($"The newest good backup is {backup}"));
        BadEnvironmentTests.AssertNoStackTraceOrHostLog(result);
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(creates), "no create on the word of a damaged ledger");
    }

    [Test]
    public async Task Dry_run_refuses_a_damaged_ledger_too()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        File.WriteAllText(harness.Folder.File("ledger.db"), "not a database at all, but long enough to be taken for one by a careless reader");

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--dry-run");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("it is not a SQLite database").And.Contain("No good backup of it was found"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public async Task Check_backup_and_restore_round_trip_then_the_rerun_sends_only_the_new_rows()
    {
        await using var harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteConfig(c => c["Ledger"]!["Backups"] = 0);
        harness.WriteCsv(3);
        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        Assert.That(run.ExitCode, Is.Zero, run.Error);
        var ledger = harness.Folder.File("ledger.db");
        var copy = harness.Folder.File("copy.db");

        var check = await harness.RunCliAsync("db", "check", "--config", harness.ConfigPath);
        var backup = await harness.RunCliAsync("db", "backup", "--config", harness.ConfigPath, "--to", copy);
        File.WriteAllText(ledger, "overwritten");
        var damaged = await harness.RunCliAsync("db", "check", "--config", harness.ConfigPath);
        var restore = await harness.RunCliAsync("db", "restore", "--config", harness.ConfigPath, "--from", copy);
        var checkAgain = await harness.RunCliAsync("db", "check", "--config", harness.ConfigPath);
        harness.WriteCsv(5);
        var rerun = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(check.ExitCode, Is.Zero, check.Error);
        Assert.That(check.Output, Does.Contain($"Ledger at {ledger} is sound: SQLite integrity check ok, schema version").And.Contain("3 entries"));
        Assert.That(backup.ExitCode, Is.Zero, backup.Error);
        Assert.That(backup.Output, Does.Contain($"to {copy}"));
        Assert.That(damaged.ExitCode, Is.EqualTo(2));
        Assert.That(damaged.Error, Does.Contain("it is not a SQLite database"));
        Assert.That(restore.ExitCode, Is.Zero, restore.Error);
        Assert.That(restore.Output, Does.Contain($"Restored the ledger {ledger} from {copy} (3 entries"));
        var kept = Directory.GetFiles(harness.Folder.Path, "ledger.db.replaced-*").Single();
        Assert.That(File.ReadAllText(kept), Is.EqualTo("overwritten"), "the file it replaced is kept, not deleted");
        Assert.That(checkAgain.ExitCode, Is.Zero, checkAgain.Error);
        Assert.That(rerun.ExitCode, Is.Zero, rerun.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(5), "the restored ledger knows the first 3: only the 2 new rows are sent");
    }

    [Test]
    public async Task Restore_without_a_name_takes_the_newest_good_backup()
    {
        await using var harness = await PipelineHarness.StartAsync(new BatchVideo.Sandbox.SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        harness.WriteCsv(2);
        await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var good = Directory.GetFiles(harness.Folder.Path, "ledger.db.backup-*").Single();
        // A newer backup that is itself damaged is passed over.
        File.WriteAllText(harness.Folder.File("ledger.db.backup-29991231-235959999"), "garbage");
        File.WriteAllText(harness.Folder.File("ledger.db"), "garbage");

        var restore = await harness.RunCliAsync("db", "restore", "--config", harness.ConfigPath);

        Assert.That(restore.ExitCode, Is.Zero, restore.Error);
        Assert.That(restore.Output, Does.Contain($"from {good} (2 entries"));
    }

    [Test]
    public async Task Server_ledgers_are_the_servers_to_back_up()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Ledger"] = new System.Text.Json.Nodes.JsonObject { ["Engine"] = "postgres", ["ConnectionString"] = "Host=127.0.0.1;Port=1;Database=x" });

        var backup = await harness.RunCliAsync("db", "backup", "--config", harness.ConfigPath);
        var restore = await harness.RunCliAsync("db", "restore", "--config", harness.ConfigPath);

        Assert.That(backup.ExitCode, Is.EqualTo(2));
        Assert.That(backup.Error, Does.Contain("postgres://127.0.0.1:1/x is on a database server: a server ledger is the server's to back up"));
        Assert.That(restore.ExitCode, Is.EqualTo(2));
        Assert.That(restore.Error, Does.Contain("the server's to back up and restore"));
    }
}
