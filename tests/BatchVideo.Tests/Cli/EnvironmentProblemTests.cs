using BatchVideo.Databases;
using BatchVideo.Sources.Tables;
using BatchVideo.Tests.Support;
using Npgsql;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// Every problem of the surroundings (a filter that cannot run as one condition, a read-only ledger, a
/// refused login) stops the real process at start with exit code 2 and a sentence, before anything is paid.
/// </summary>
[TestFixture]
public sealed class EnvironmentProblemTests
{
    [TestCase("status = 'active'")]
    [TestCase("(status = 'active' OR status = 'trial') AND country IN ('DE', 'AT')")]
    [TestCase("name = 'O''Brien; -- not a comment /* nor this */ )'")]
    [TestCase("\"odd)name\" = 1 AND [x(] = 2")]
    public void A_filter_that_is_one_condition_passes(string filter) =>
        Assert.That(FilterGuard.Problem(filter), Is.Null);

    [TestCase("status = 'active') OR (1=1", "closes a parenthesis the filter did not open")]
    [TestCase("status = 'active' OR (1=1", "opened and never closed")]
    [TestCase("1=1; DELETE FROM contacts", "statement separator")]
    [TestCase("status = 'active' -- and more", "comment ('--')")]
    [TestCase("status = 'active' /* x */", "comment ('/*')")]
    [TestCase("status = 'active", "never closed")]
    public void A_filter_that_is_not_one_condition_is_refused(string filter, string why) =>
        Assert.That(FilterGuard.Problem(filter), Does.Contain(why));

    [Test]
    [Category("Integration")]
    public async Task A_filter_that_widens_the_table_stops_at_start_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active') OR (1=1");

        var run = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("must be a single SQL condition").And.Contain("widen"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    [Category("Integration")]
    public async Task A_filter_calling_a_function_SQLite_refuses_stops_at_start_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("sqlite", harness.Folder);
        await database.CreateSampleContactsAsync();
        // Compiles, but SQLite refuses it on the first row it looks at (extension loading is off).
        harness.UseTable(database, database.ContactsTable, filter: "load_extension('nowhere') IS NULL");

        var run = await harness.RunCliAsync("run", "--campaign", "welcome", "--config", harness.ConfigPath);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain("check Filter"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    [Category("Integration")]
    [Platform(Include = "Linux")]
    public async Task A_read_only_ledger_stops_with_exit_2_naming_its_files()
    {
        using var disk = await SmallDisk.MountAsync(megabytes: 4);
        await using var harness = await PipelineHarness.StartAsync();
        var ledger = disk.File("ledger.db");
        harness.WriteConfig(c => c["Ledger"]!["ConnectionString"] = $"Data Source={ledger}");
        harness.WriteCsv(3);
        var migrate = await harness.RunCliAsync("db", "migrate", "--config", harness.ConfigPath);
        Assert.That(migrate.ExitCode, Is.Zero, migrate.Output + migrate.Error);
        await disk.MakeReadOnlyAsync();

        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var status = await harness.RunCliAsync("status", "--config", harness.ConfigPath);

        foreach (var result in new[] { run, status })
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
            Assert.That(result.Error, Does.Contain($"The ledger {ledger}").And.Contain("read-only").And.Not.Contain("unexpected failure"));
        }

        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.Zero);
    }

    [Test]
    [Category("Integration")]
    public async Task A_ledger_in_a_folder_that_does_not_exist_stops_with_exit_2_naming_it()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        harness.WriteConfig(c => c["Ledger"]!["ConnectionString"] = "Data Source=no-such-folder/ledger.db");

        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain($"The ledger's folder {harness.Folder.File("no-such-folder")} does not exist"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [TestCase("28P01")]
    [TestCase("28000")]
    public void A_refused_PostgreSQL_login_is_an_environment_problem(string sqlState)
    {
        var refused = new PostgresException("password authentication failed for user \"batchvideo\"", "FATAL", "FATAL", sqlState);

        Assert.That(DatabaseProblem.Of(refused), Is.EqualTo(DatabaseProblemKind.Login));
        Assert.That(BatchVideo.Ledger.LedgerUnavailableException.From(refused, "postgres://db:5432/crm", null)!.Message,
            Does.StartWith("The database postgres://db:5432/crm refused the login (").And.Contain("Ledger:ConnectionString"));
    }

    [Test]
    [Category("Integration")]
    [Category("Postgres")]
    public async Task Status_with_a_login_the_ledger_server_refuses_exits_2()
    {
        var server = PostgresServer.Shared;
        await using var harness = await PipelineHarness.StartAsync();
        await using var database = await TestDatabase.CreateAsync("postgres", harness.Folder);
        var wrong = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "no_such_user", Password = "wrong" }.ToString();
        harness.WriteConfig(c => c["Ledger"] = new System.Text.Json.Nodes.JsonObject { ["Engine"] = "postgres", ["ConnectionString"] = wrong });

        var status = await harness.RunCliAsync("status", "--config", harness.ConfigPath);

        Assert.That(server, Is.Not.Null);
        Assert.That(status.ExitCode, Is.EqualTo(2), status.Output + status.Error);
        Assert.That(status.Error, Does.Contain("refused the login").And.Not.Contain("wrong\""));
    }
}
