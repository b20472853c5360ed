using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Every row lands in exactly one counter of the summary: each verdict in the one its fate names
/// (<see cref="VerdictCounts"/>), and a completed video whose file could not be stored in "to resume" only.
/// Every ledger state through a whole run: <c>Relational/LedgerStateVerdictTests</c>.
/// </summary>
[TestFixture]
public sealed class OneCounterPerRowTests
{
    [TestCase(RowFate.Rejected, 1)]
    [TestCase(RowFate.AlreadyDone, 1)]
    [TestCase(RowFate.Rendering, 1)]
    [TestCase(RowFate.FailedEarlier, 1)]
    [TestCase(RowFate.InProgressElsewhere, 1)]
    [TestCase(RowFate.Ready, 0)] // counted where it is sent, would be, or is turned away
    public void Each_verdict_is_counted_in_one_counter(RowFate fate, long counted)
    {
        var progress = new RunProgress();
        var row = new SourceRow(2, ["C-1"], null, null);
        var verdict = new RowVerdict(fate, row, "C-1")
        {
            Problem = new RowProblem(RowOutcome.Failed, 2, "C-1", null, "why"),
            Rendered = BatchVideo.Scripts.RenderResult.Ok("Hi", null),
        };

        progress.Count(verdict);

        Assert.That(
            progress.Rejected + progress.AlreadyDone + progress.Rendering + progress.Failed + progress.InProgressElsewhere + progress.Submitted + progress.WouldSubmit + progress.Completed + progress.ToResume,
            Is.EqualTo(counted));
    }

    [Test]
    public void A_sent_row_and_a_would_be_row_are_counted_apart_and_sized_alike()
    {
        var sent = new RunProgress();
        var wouldBe = new RunProgress();
        var length = SpokenLength.Of("Hi Ann, welcome to Acme.");

        sent.OnSubmitted(length);
        wouldBe.OnWouldSubmit(length);

        Assert.That((sent.Submitted, sent.WouldSubmit, wouldBe.Submitted, wouldBe.WouldSubmit), Is.EqualTo((1L, 0L, 0L, 1L)));
        var options = new CampaignOptions();
        Assert.That((wouldBe.Estimate(options).Videos, wouldBe.Estimate(options).Words), Is.EqualTo((sent.Estimate(options).Videos, sent.Estimate(options).Words)));
    }

    [TestCase("run")]
    [TestCase("dry-run")]
    [TestCase("validate")]
    [Category("Integration")]
    public async Task Every_row_lands_in_one_counter_and_sent_rows_apart_from_would_be_ones(string command)
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        var csv = harness.Folder.Write("contacts.csv", "id,first_name,company\nC-1,Ann,Acme\nC-2,,Acme\nC-3,Bo,Acme\nC-4,Cy,Acme\n");

        var summary = command switch
        {
            "run" => await harness.RunAsync(csv),
            "dry-run" => await harness.RunAsync(csv, dryRun: true),
            _ => await harness.ValidateAsync(csv),
        };

        Assert.That(SummaryArithmetic.Counted(summary), Is.EqualTo(summary.Read), () => string.Join("\n", summary.Problems));
        Assert.That((summary.Read, summary.Rejected), Is.EqualTo((4L, 1L)));
        Assert.That(
            (summary.Submitted, summary.WouldSubmit),
            Is.EqualTo(command == "run" ? (3L, 0L) : (0L, 3L)),
            "a run counts what it sent, a dry run and a validation what a run would send, never both");
        Assert.That(summary.Estimate!.Videos, Is.EqualTo(3), "the estimate sizes the same three rows either way");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(command == "run" ? 3 : 0));
    }

    [Test]
    [Category("Integration")]
    public async Task A_completed_video_whose_download_failed_is_counted_to_resume_and_not_completed()
    {
        // Each file is cut off more often than the downloader tries (6 attempts): every download fails.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), DownloadInterruptions = 20 });
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["UrlField"] = "download";
            c["Storage"] = new JsonObject { ["Folder"] = "videos", ["Thumbnails"] = false };
        });
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.ToResume, summary.Rendering), Is.EqualTo((0L, 3L, 0L)), () => string.Join("\n", summary.Problems));
        Assert.That(SummaryArithmetic.Counted(summary), Is.EqualTo(summary.Read), "every row in exactly one counter");
        Assert.That(summary.Problems.Select(p => p.Code), Is.All.EqualTo("download_failed"));
        Assert.That(summary.ExitCode, Is.EqualTo(1), "rows left to resume");
    }
}
