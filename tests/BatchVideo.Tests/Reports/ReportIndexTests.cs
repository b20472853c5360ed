using System.Diagnostics;
using BatchVideo.Reports;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reports;

[TestFixture]
public sealed class ReportIndexTests
{
    [Test]
    public void The_latest_report_and_review_page_of_each_campaign_are_found_by_name()
    {
        using var folder = new TempFolder();
        foreach (var name in new[]
        {
            "welcome-20261206T010000Z-run.json", "welcome-20261206T010000Z-run.html",
            "welcome-20261206T020000Z-run.json", "welcome-20261206T020000Z-run.html", "welcome-20261206T020000Z-run-rejects.csv",
            "welcome-20261206T020000Z-run-2.json", "welcome-20261206T020000Z-run-2.html",
            "welcome-20261206T030000Z-validate.json",
            "crm-nightly-20261205T230000Z-dry-run.json", "crm-nightly-20261205T230000Z-dry-run.html",
            "batchvideo-error-20261206-010203.log", "notes.txt",
        })
        {
            folder.Write(name, "{}");
        }

        var index = ReportIndex.Read(folder.Path);

        Assert.That(index.Select(c => (c.Campaign, c.Runs)), Is.EqualTo(new[] { ("crm-nightly", 1), ("welcome", 4) }));
        var welcome = index[1];
        Assert.That((welcome.Latest.Command, Path.GetFileName(welcome.Latest.Report)), Is.EqualTo(("validate", "welcome-20261206T030000Z-validate.json")));
        Assert.That(Path.GetFileName(welcome.LatestWithReviewPage!.ReviewPage), Is.EqualTo("welcome-20261206T020000Z-run-2.html"), "the second run in the same second is the later one");
        Assert.That(index[0].Latest.Command, Is.EqualTo("dry-run"));
        Assert.That(ReportIndex.Read(folder.File("missing")), Is.Empty);
    }

    [Test]
    [Category("Integration")]
    public async Task Reports_command_names_the_latest_files_of_each_campaign()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteCsv(2);
        var run = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--dry-run", "--config", harness.ConfigPath);

        var reports = await harness.RunCliAsync("reports", "--config", harness.ConfigPath);
        var open = await harness.RunCliAsync("reports", "--campaign", "welcome", "--open", "--config", harness.ConfigPath);

        Assert.That(reports.ExitCode, Is.Zero, reports.Error);
        var page = run.Output.Split('\n').Single(l => l.StartsWith("Review page: ", StringComparison.Ordinal))["Review page: ".Length..].Trim();
        Assert.That(reports.Output, Does.Contain("welcome  (1 command reported; latest: dry-run").And.Contain("review page  " + page));
        Assert.That(open.ExitCode, Is.Zero, open.Error);
        Assert.That(open.Output, Does.Contain(page), "opened, or told where it is when there is no browser");
    }

    [TestCase("reports/welcome-20261206T010000Z-run.json")]
    [TestCase("batchvideo-ledger.db.backup-20261206-011050123")]
    [TestCase("batchvideo-sandbox-ledger.db.backup-20261206-011050123")]
    public void What_the_commands_leave_in_the_repository_is_ignored_by_git(string path)
    {
        var start = new ProcessStartInfo("git", ["check-ignore", "--quiet", "--no-index", path]) { WorkingDirectory = Repository.Root };
        using var git = Process.Start(start)!;
        git.WaitForExit();

        Assert.That(git.ExitCode, Is.Zero, $"{path} is not covered by .gitignore");
    }
}
