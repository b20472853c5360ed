using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

[TestFixture]
[Category("Integration")]
public sealed class DryRunTests
{
    [Test]
    public async Task Dry_run_sends_no_create_and_leaves_ledger_and_csv_untouched()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.Folder.Write("contacts.csv", "id,first_name,company\nC-1,Ann,Acme\nC-2,,Acme\nC-3,Bo,Acme\n");
        var before = await File.ReadAllBytesAsync(csv);

        var summary = await harness.RunAsync(csv, dryRun: true);

        Assert.That((summary.DryRun, summary.Read, summary.Rejected, summary.WouldSubmit, summary.Submitted, summary.ExitCode), Is.EqualTo((true, 3L, 1L, 2L, 0L, 1)));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        Assert.That(await File.ReadAllBytesAsync(csv), Is.EqualTo(before));
        Assert.That(File.Exists(harness.Folder.File("ledger.db")), Is.False, "a dry run must not create the ledger");
        Assert.That(summary.WrittenTo, Is.Null);
    }

    [Test]
    public async Task Dry_run_after_a_run_counts_done_rows_and_changes_no_ledger_entry()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(4);
        await harness.RunAsync(csv);
        await File.AppendAllTextAsync(csv, "C-5,Eve,Acme,,,\nC-6,Fay,Acme,,,\n");
        var before = await File.ReadAllBytesAsync(csv);
        var ledger = harness.Ledger(TimeProvider.System);
        var statesBefore = await ledger.CountByStateAsync("welcome", CancellationToken.None);
        var creates = harness.Sandbox.Stats.CreateRequests;

        var summary = await harness.RunAsync(csv, dryRun: true);

        Assert.That((summary.AlreadyDone, summary.WouldSubmit, summary.Submitted, summary.Completed), Is.EqualTo((4L, 2L, 0L, 0L)));
        Assert.That(summary.Estimate!.Words, Is.GreaterThan(0));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(creates));
        Assert.That(await ledger.CountByStateAsync("welcome", CancellationToken.None), Is.EqualTo(statesBefore));
        Assert.That(await File.ReadAllBytesAsync(csv), Is.EqualTo(before));
    }

    [Test]
    public async Task Dry_run_still_checks_avatar_and_voice_before_counting()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["VoiceId"] = "voice_typo");
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv, dryRun: true);

        Assert.That(summary.ExitCode, Is.EqualTo(2));
        Assert.That(summary.StoppedBecause, Does.Contain("voice_not_found"));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }
}
