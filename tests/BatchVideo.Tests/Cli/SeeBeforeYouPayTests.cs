using System.Text.Json;
using System.Text.RegularExpressions;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

/// <summary>The operator's loop through the real executable: validate, preview, run, fix the rejects, run them again.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class SeeBeforeYouPayTests
{
    private const string Contacts = """
        id,first_name,company
        C-1,Ann,Acme
        C-2,,Acme
        C-1,Dup,Acme
        C-4,SANDBOX_FAIL_RENDER,Acme
        C-5,Eve,"Eve & Co, Ltd."

        """;

    [Test]
    public async Task Rejects_file_fixed_and_fed_back_completes_those_rows()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("contacts.csv", Contacts);

        var first = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var rejects = RowsToFix().Match(first.Output).Groups["path"].Value.Trim();
        var bom = (await File.ReadAllBytesAsync(rejects))[..3];
        var lines = await File.ReadAllLinesAsync(rejects);
        await File.WriteAllLinesAsync(rejects, lines.Select(line => line
            .Replace("C-2,,Acme", "C-2,Bea,Acme", StringComparison.Ordinal)
            .Replace("C-1,Dup,Acme", "C-3,Dup,Acme", StringComparison.Ordinal)
            .Replace("SANDBOX_FAIL_RENDER", "Dan", StringComparison.Ordinal)));
        var second = await harness.RunCliAsync("run", "--csv", rejects, "--retry-failed", "--config", harness.ConfigPath);

        Assert.That(first.ExitCode, Is.EqualTo(1), first.Output + first.Error);
        Assert.That(bom, Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "a byte order mark, for spreadsheet programs");
        Assert.That(lines[0], Is.EqualTo("id,first_name,company,reject_line,reject_reason"));
        Assert.That(lines.Skip(1).Select(l => l.Split(',')[0]), Is.EquivalentTo(new[] { "C-2", "C-1", "C-4" }));
        Assert.That(lines, Has.Some.StartsWith("C-4,SANDBOX_FAIL_RENDER,Acme,5,render failed"));
        Assert.That(second.ExitCode, Is.Zero, second.Output + second.Error);
        Assert.That(second.Output, Does.Contain("completed                3"));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(6), "C-1, C-5, the failed C-4, then C-2, C-3 and C-4 again");
        Assert.That(harness.Sandbox.Videos.Select(v => v.IdempotencyKey), Is.Unique, "C-4's second video is a new, deliberate attempt");
        var results = await File.ReadAllLinesAsync(rejects);
        Assert.That(results[0], Does.EndWith(",reject_line,reject_reason,video_id,video_status,video_url"));
        Assert.That(results.Skip(1), Has.All.Contains(",completed,"));
    }

    [Test]
    public async Task Preview_shows_exactly_the_request_that_run_sends()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("contacts.csv", Contacts);

        var preview = await harness.RunCliAsync("preview", "--csv", "contacts.csv", "--row", "C-5", "--json", "--config", harness.ConfigPath);
        var shown = JsonDocument.Parse(preview.Output).RootElement[0].GetProperty("request");
        await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(preview.ExitCode, Is.Zero, preview.Error);
        var sent = harness.Sandbox.Videos.Single(v => v.Title!.StartsWith("Welcome Eve", StringComparison.Ordinal));
        var body = shown.GetProperty("body");
        Assert.That(body.GetProperty("script").GetString(), Is.EqualTo(sent.Script));
        Assert.That(body.GetProperty("title").GetString(), Is.EqualTo(sent.Title));
        Assert.That(body.GetProperty("avatar_id").GetString(), Is.EqualTo(sent.AvatarId));
        Assert.That(shown.GetProperty("headers").GetProperty("Idempotency-Key").GetString(), Is.EqualTo(sent.IdempotencyKey));
        Assert.That(shown.GetProperty("headers").GetProperty("x-api-key").GetString(), Is.EqualTo("***redacted***"));
        Assert.That(preview.Output, Does.Not.Contain("test-key"));
    }

    [Test]
    public async Task Validate_sends_only_the_preflight_and_nothing_offline()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("contacts.csv", Contacts);

        var online = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var requestsOnline = harness.Sandbox.Stats.TotalRequests;
        var offline = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--offline", "--config", harness.ConfigPath);

        Assert.That(online.ExitCode, Is.EqualTo(1), online.Output + online.Error);
        Assert.That(online.Output, Does.Contain("Pre-flight: passed"));
        Assert.That(requestsOnline, Is.EqualTo(3), "GET the avatar, GET the voice, GET the account (its unit, for the estimate)");
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.EqualTo(requestsOnline), "--offline sends nothing");
        Assert.That(offline.Output, Does.Contain("Pre-flight: skipped: --offline"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        Assert.That(File.Exists(harness.Folder.File("ledger.db")), Is.False, "validate creates no ledger");
    }

    [Test]
    public async Task Validate_with_an_unknown_avatar_exits_2_and_still_lists_the_rows()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["AvatarId"] = "avatar_typo");
        harness.Folder.Write("contacts.csv", Contacts);

        var result = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
        Assert.That(result.Output, Does.Contain("avatar_not_found").And.Contain("line 3, key C-2, column first_name"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }

    [Test]
    public async Task Validate_runs_without_an_api_key_and_skips_the_preflight()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["HeyGen"]!.AsObject().Remove("ApiKey"));
        harness.Folder.Write("contacts.csv", Contacts);

        var result = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.Error);
        Assert.That(result.Output, Does.Contain("Pre-flight: skipped: no API key configured"));
        Assert.That(harness.Sandbox.Stats.TotalRequests, Is.Zero);
    }

    [Test]
    public async Task Reports_go_to_the_configured_folder_and_never_hold_the_key()
    {
        await using var harness = await PipelineHarness.StartAsync();
        const string secret = "sk-live-NEVER-IN-A-REPORT-42";
        harness.WriteConfig(c =>
        {
            c["HeyGen"]!["ApiKey"] = secret;
            c["Reports"] = new System.Text.Json.Nodes.JsonObject { ["Folder"] = "out/reports" };
        });
        harness.Folder.Write("contacts.csv", Contacts);

        var result = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        var files = Directory.GetFiles(harness.Folder.File("out/reports"));
        Assert.That(files.Select(Path.GetFileName), Has.Some.Match(@"^welcome-\d{8}T\d{6}Z-run\.json$").And.Some.Match(@"^welcome-\d{8}T\d{6}Z-run-rejects\.csv$"));
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(files.Single(f => f.EndsWith(".json", StringComparison.Ordinal)))).RootElement;
        Assert.That(report.GetProperty("counts").GetProperty("completed").GetInt64(), Is.EqualTo(2));
        Assert.That(report.GetProperty("counts").GetProperty("failed").GetInt64(), Is.EqualTo(1));
        Assert.That(report.GetProperty("requests").GetProperty("sent").GetInt64(), Is.GreaterThanOrEqualTo(5));
        Assert.That(report.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()),
            Is.EquivalentTo(new[] { "empty_column", "duplicate_key", "rendering_failed" }));
        Assert.That(result.Output, Does.Contain("Report: " + harness.Folder.File("out/reports")));
        foreach (var file in files)
        {
            Assert.That(await File.ReadAllTextAsync(file), Does.Not.Contain(secret).And.Not.Contain("Data Source"));
        }
    }

    [Test]
    public async Task Verbosity_quiet_and_detailed_change_what_is_logged()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(3);

        var quiet = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--quiet", "--config", harness.ConfigPath);
        harness.WriteCsv(3, name: "more.csv", firstName: i => "More" + i);
        await File.WriteAllTextAsync(harness.Folder.File("more.csv"), (await File.ReadAllTextAsync(harness.Folder.File("more.csv"))).Replace("C-", "D-", StringComparison.Ordinal));
        var detailed = await harness.RunCliAsync("run", "--csv", "more.csv", "--verbosity", "detailed", "--config", harness.ConfigPath);

        Assert.That((quiet.ExitCode, detailed.ExitCode), Is.EqualTo((0, 0)), quiet.Error + detailed.Error);
        Assert.That(quiet.Error, Does.Not.Contain("info:"));
        Assert.That(quiet.Output, Does.StartWith("Campaign welcome:"));
        Assert.That(detailed.Error, Does.Contain("Submitted D-1 as"));
    }

    [GeneratedRegex(@"Rows to fix: (?<path>.+)")]
    private static partial Regex RowsToFix();
}
