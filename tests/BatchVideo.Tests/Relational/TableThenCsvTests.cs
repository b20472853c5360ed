using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>
/// A table run and a CSV run of one campaign share its ledger: work one leaves behind (pending, claimed
/// under a lease that ended, rejected) is taken by the other, and nothing is silently dropped.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class TableThenCsvTests(string engine)
{
    [Test]
    public async Task Csv_run_after_a_dead_table_run_sends_every_valid_row_once_and_counts_every_row()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100), ApiKey = "good-key" });
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        // The nightly table run: HeyGen refuses the key after the rows were claimed.
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["HeyGen"]!["ApiKey"] = "wrong-key";
            c["Ledger"]!["ClaimLease"] = "00:00:01";
        });
        var dead = await harness.RunAsync(null);
        var ledger = harness.Ledger(TimeProvider.System);
        var held = await ledger.CountByStateAsync("welcome", CancellationToken.None);
        Assert.That(dead.StoppedBecause, Is.Not.Null);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.Zero);
        Assert.That(held.GetValueOrDefault(LedgerState.Claimed) + held.GetValueOrDefault(LedgerState.Pending), Is.GreaterThan(0), "the dead run left table work behind: " + string.Join(", ", held));

        // The key is fixed; once the leases have ended, the operator runs the CSV export of the same recipients.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        harness.UseTable(database, database.ContactsTable, filter: "status = 'active'", change: c =>
        {
            c["HeyGen"]!["ApiKey"] = "good-key";
            c["Ledger"]!["ClaimLease"] = "00:00:01";
        });
        var csv = Checkout.CopySampleContacts(harness.Folder.Path);
        var run = await harness.RunAsync(csv);

        var describe = () => $"{run.StoppedBecause}\n{string.Join("\n", run.Problems)}";
        // The sample export holds the 23 recipients of the table, each valid for this campaign's template.
        Assert.That((run.Read, run.Rejected, run.Completed, run.InProgressElsewhere), Is.EqualTo((23L, 0L, 23L, 0L)), describe);
        Assert.That(run.Read, Is.EqualTo(SummaryArithmetic.Counted(run)), "every row is in exactly one counter");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(23));
        Assert.That(harness.CreatedMarkers().Distinct().Count(), Is.EqualTo(23), "one video per recipient");
        var written = CsvContactSource.Open(run.WrittenTo!, "id", null);
        var withVideo = 0;
        await foreach (var row in written.ReadRowsAsync(CancellationToken.None))
        {
            withVideo += row.RecordedVideoId is { Length: > 0 } ? 1 : 0;
        }

        Assert.That(withVideo, Is.EqualTo(23), "every valid row written back with its video");
        var again = await harness.RunAsync(csv);
        Assert.That((again.AlreadyDone, again.Submitted, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((23L, 0L, 23)));
    }

    [Test]
    public async Task A_row_another_worker_holds_under_a_live_lease_is_counted_as_in_progress_elsewhere()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50) });
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        harness.UseTable(database, "unused_table");
        var ledger = harness.Ledger(TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.EnqueueAsync("welcome", [new PendingWork("C-2", RecipientIdentity.IdempotencyKey("welcome", "C-2", 1), RecipientIdentity.Marker("welcome", "C-2"))], 0, CancellationToken.None);
        Assert.That(await ledger.ClaimAsync("welcome", "other-machine:1:abc", 10, TimeSpan.FromHours(1), CancellationToken.None), Has.Count.EqualTo(1));
        var csv = harness.WriteCsv(3);

        var run = await harness.RunAsync(csv);

        Assert.That((run.Read, run.Completed, run.InProgressElsewhere, run.ExitCode), Is.EqualTo((3L, 2L, 1L, 1)));
        Assert.That(run.Problems.Single().Code, Is.EqualTo("in_progress_elsewhere"));
        Assert.That(run.Read, Is.EqualTo(SummaryArithmetic.Counted(run)));
        Assert.That(harness.CreatedMarkers(), Has.None.Contains(RecipientIdentity.Marker("welcome", "C-2")));
    }
}
