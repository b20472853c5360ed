using System.Text.Json.Nodes;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// What an operator meets on a bad day: a broken configuration, in the file or the environment, stops
/// the real batchvideo process with exit code 2 and sentences naming each key, before any request, with
/// no stack trace and no host log line on the console.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BadEnvironmentTests
{
    private static IEnumerable<TestCaseData> BrokenConfigurations()
    {
        yield return Case("JSON syntax error", h =>
        {
            h.WriteConfig();
            var text = File.ReadAllText(h.ConfigPath).Replace("\"MaxRetries\": 10,", "\"MaxRetries\": 10", StringComparison.Ordinal);
            File.WriteAllText(h.ConfigPath, text);
        }, "appsettings.json is not valid JSON: line ", ", column ", "Expected either ','");
        yield return Case("a word where a number goes", h => h.WriteConfig(c => c["HeyGen"]!["MaxConcurrency"] = "lots"),
            "HeyGen:MaxConcurrency is 'lots' (in appsettings.json), which is not a whole number");
        yield return Case("a word where a number goes, from the environment", h => h.Environment["HeyGen__MaxConcurrency"] = "lots",
            "HeyGen:MaxConcurrency is 'lots' (environment variable HeyGen__MaxConcurrency), which is not a whole number");
        yield return Case("a number out of range", h => h.WriteConfig(c => c["HeyGen"]!["MaxConcurrency"] = 0),
            "HeyGen:MaxConcurrency is 0 (in appsettings.json); it must be between 1 and 256");
        yield return Case("unknown ledger engine", h => h.WriteConfig(c => c["Ledger"]!["Engine"] = "oracle"),
            "Ledger:Engine is 'oracle' (in appsettings.json), which is not one of sqlite, postgres, sqlserver");
        yield return Case("negative interval", h => h.WriteConfig(c => c["HeyGen"]!["PollInterval"] = "-00:00:10"),
            "HeyGen:PollInterval is -00:00:10 (in appsettings.json); it must be between 00:00:00.05 and 01:00:00");
        yield return Case("negative interval of the scheduler, from the environment", h => h.Environment["Scheduling__CompletionInterval"] = "-00:01:00",
            "Scheduling:CompletionInterval is -00:01:00 (environment variable Scheduling__CompletionInterval); it must be between 00:00:01");
        yield return Case("not a duration", h => h.WriteConfig(c => c["HeyGen"]!["AttemptTimeout"] = "30 seconds"),
            "HeyGen:AttemptTimeout is '30 seconds' (in appsettings.json), which is not a duration written [d.]hh:mm:ss");
        yield return Case("not true or false", h => h.WriteConfig(c => c["Storage"] = new JsonObject { ["Thumbnails"] = "yes please" }),
            "Storage:Thumbnails is 'yes please' (in appsettings.json), which is not true or false");
        yield return Case("a number with a unit, inside a campaign", h => h.WriteConfig(c => c["Campaigns"]!["welcome"]!["WordsPerMinute"] = "150 wpm"),
            "Campaigns:welcome:WordsPerMinute is '150 wpm' (in appsettings.json), which is not a number");
        yield return Case("unknown aspect ratio", h => h.WriteConfig(c => c["Campaigns"]!["welcome"]!["AspectRatio"] = "21:9"),
            "Campaigns:welcome:AspectRatio '21:9' is not one of");
        yield return Case("unknown table engine", h => h.WriteConfig(c => c["Campaigns"]!["welcome"]!["Source"] = new JsonObject { ["Engine"] = "access", ["Table"] = "contacts", ["ConnectionString"] = "x" }),
            "Campaigns:welcome:Source:Engine 'access' is not one of sqlserver, postgres, sqlite");
        yield return Case("missing Campaigns section", h => h.WriteConfig(c => c.Remove("Campaigns")),
            "No campaign is configured: add one under Campaigns");
        yield return Case("a campaign written as a single value", h => h.WriteConfig(c => c["Campaigns"]!["welcome"] = "welcome.sbn"),
            "Campaigns:welcome is 'welcome.sbn' (in appsettings.json), but it is a section of settings, not a single value");
        yield return Case("missing template file", h => h.WriteConfig(c => c["Campaigns"]!["welcome"]!["Template"] = "nowhere.sbn"),
            "Campaigns:welcome:Template '", "nowhere.sbn' does not exist");
        yield return Case("negative backup count", h => h.Environment["Ledger__Backups"] = "-1",
            "Ledger:Backups is -1 (environment variable Ledger__Backups); it must be between 0 and 1000");
        yield return Case("several problems at once, each listed once", h =>
        {
            h.WriteConfig(c =>
            {
                c["HeyGen"]!["MaxConcurrency"] = "lots";
                c["Ledger"]!["Engine"] = "oracle";
            });
            h.Environment["HeyGen__PollInterval"] = "-00:00:10";
        }, "HeyGen:MaxConcurrency is 'lots'", "Ledger:Engine is 'oracle'", "HeyGen:PollInterval is -00:00:10 (environment variable");
    }

    [TestCaseSource(nameof(BrokenConfigurations))]
    public async Task Broken_configuration_exits_2_naming_the_key_before_any_request(Action<PipelineHarness> breakIt, string[] expected)
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        breakIt(harness);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        foreach (var fragment in expected)
        {
            Assert.That(result.Error, Does.Contain(fragment));
            Assert.That(result.Error.Split(fragment).Length - 1, Is.EqualTo(1), $"'{fragment}' is said once");
        }

        AssertNoStackTraceOrHostLog(result);
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
        Assert.That(File.Exists(harness.Folder.File("ledger.db")), Is.False, "nothing was recorded either");
    }

    [Test]
    public async Task Detailed_verbosity_shows_the_host_log_line_as_well()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        harness.Environment["HeyGen__MaxConcurrency"] = "lots";

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--verbosity", "detailed");

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("error: Microsoft.Extensions.Hosting"));
        Assert.That(result.Error, Does.Contain("HeyGen:MaxConcurrency is 'lots'"));
    }

    [Test]
    public async Task Broken_configuration_of_the_sandbox_run_exits_2_before_the_sandbox_starts()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        harness.Environment["Sandbox__RenderTime"] = "two seconds";

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--sandbox");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Error, Does.Contain("Sandbox:RenderTime is 'two seconds' (environment variable Sandbox__RenderTime)"));
        Assert.That(result.Output, Does.Not.Contain("Using the local HeyGen sandbox"));
        AssertNoStackTraceOrHostLog(result);
    }

    [Test]
    public async Task Unexpected_failure_ends_with_one_line_and_the_detail_in_a_log_file_beside_the_reports()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);
        // SQLite cannot open a folder as a database: not a case the code foresees (a missing folder, a full
        // disk or a read-only file are: EnvironmentProblemTests).
        Directory.CreateDirectory(harness.Folder.File("ledger-folder.db"));
        harness.WriteConfig(c => c["Ledger"]!["ConnectionString"] = "Data Source=ledger-folder.db");

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Output + result.Error);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), result.Error);
        Assert.That(lines[0], Does.Contain("'batchvideo run --csv contacts.csv").And.Contain("stopped on an unexpected failure (SqliteException"));
        Assert.That(lines[0], Does.Contain("Nothing was sent twice"));
        var logs = Directory.GetFiles(harness.Folder.File("reports"), "batchvideo-error-*.log");
        Assert.That(logs, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.Contain(logs[0]));
        Assert.That(File.ReadAllText(logs[0]), Does.Contain("   at ").And.Contain("SqliteException"), "the full detail went to the file");
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    internal static void AssertNoStackTraceOrHostLog(CliResult result)
    {
        var all = result.Output + result.Error;
        Assert.That(all, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(all, Does.Not.Contain("Unhandled exception"));
        Assert.That(all, Does.Not.Contain("fail:"), "no host log line");
        Assert.That(all, Does.Not.Contain("Exception:"), "no exception type names");
    }

    private static TestCaseData Case(string name, Action<PipelineHarness> breakIt, params string[] expected) =>
        new TestCaseData(breakIt, expected).SetArgDisplayNames(name);
}
