using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>
/// Every ledger state a recipient can be in, met by each command over each kind of source: each row
/// gets one verdict, and the summary's counters add up to the rows read.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class LedgerStateVerdictTests(string engine)
{
    private const string Campaign = "welcome";
    private const string Other = "other-machine:1:abcdef01";

    // C-1 has no entry; C-2..C-10 one per state (two for a live claim: claimed and submitting).
    private static readonly string[] Keys = [.. Enumerable.Range(1, 10).Select(i => $"C-{i}")];

    [TestCase("file", "run")]
    [TestCase("file", "dry-run")]
    [TestCase("file", "validate")]
    [TestCase("table", "dry-run")]
    [TestCase("table", "validate")]
    public async Task Every_ledger_state_gets_one_verdict_and_the_summary_adds_up(string source, string command)
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(50) });
        await using var database = await TestDatabase.CreateAsync(engine, harness.Folder);
        await database.CreateSampleContactsAsync();
        await database.ExecuteAsync($"DELETE FROM {database.ContactsTable}");
        await database.ExecuteAsync(
            $"INSERT INTO {database.ContactsTable} (id, first_name, company, status) VALUES (@Id, @Name, 'Acme', 'active')",
            Keys.Select(k => new { Id = k, Name = "Name " + k }));
        harness.UseTable(database, database.ContactsTable);
        var csv = source == "file" ? harness.WriteCsv(Keys.Length) : null;
        await SeedEveryStateAsync(harness.Ledger(TimeProvider.System));

        var summary = command switch
        {
            "run" => await harness.RunAsync(csv, noWait: true),
            "dry-run" => await harness.RunAsync(csv, dryRun: true),
            _ => await harness.ValidateAsync(csv),
        };

        var describe = () => $"{summary.StoppedBecause}\n{string.Join("\n", summary.Problems)}";
        Assert.That(summary.Read, Is.EqualTo(Keys.Length), describe);
        Assert.That(SummaryArithmetic.Counted(summary), Is.EqualTo(summary.Read), "every row in exactly one counter");
        // Sent or to send: no entry, pending, an ended lease, rejected by a table run, an unanswered create.
        Assert.That(command == "run" ? (summary.Submitted, summary.WouldSubmit) : (summary.WouldSubmit, summary.Submitted), Is.EqualTo((5L, 0L)), describe);
        Assert.That((summary.InProgressElsewhere, summary.AlreadyDone, summary.Failed, summary.Rejected), Is.EqualTo((2L, 1L, 1L, 0L)), describe);
        Assert.That(summary.Rendering, Is.EqualTo(command == "run" ? 6 : 1), "the earlier video, and in a run the five just sent");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(command == "run" ? 5 : 0));
    }

    private static async Task SeedEveryStateAsync(LedgerStore ledger)
    {
        var ct = CancellationToken.None;
        await ledger.MigrateAsync(ct);
        // A claim takes the first claimable key, so each claim is made while its key is the only one claimable.
        await EnqueueAsync("C-3");
        await ledger.ClaimAsync(Campaign, Other, 1, TimeSpan.FromHours(1), ct); // claimed, live lease
        await EnqueueAsync("C-5");
        await ledger.ClaimAsync(Campaign, "table-run", 1, TimeSpan.FromHours(1), ct);
        Assert.That(await ledger.MarkRejectedAsync(Campaign, "C-5", "table-run", "could not render then", ct), Is.True);
        await EnqueueAsync("C-7");
        await ledger.ClaimAsync(Campaign, Other, 1, TimeSpan.FromHours(1), ct);
        Assert.That(await ledger.BeginSubmittingAsync(Campaign, "C-7", Other, ct), Is.True); // submitting, live lease
        await EnqueueAsync("C-4");
        await ledger.ClaimAsync(Campaign, Other, 1, TimeSpan.FromSeconds(-10), ct); // claimed, lease ended
        await EnqueueAsync("C-2"); // pending
        await BeginAsync("C-6"); // submitting, no answer recorded, no lease (a crashed file run)
        await BeginAsync("C-8");
        await ledger.MarkSubmittedAsync(Campaign, "C-8", "v-earlier", "processing", ct); // submitted
        await BeginAsync("C-9");
        await ledger.MarkSubmittedAsync(Campaign, "C-9", "v-done", "processing", ct);
        await ledger.MarkCompletedAsync(Campaign, "C-9", "https://example.com/v.mp4", "https://example.com/v", ct); // completed
        await BeginAsync("C-10");
        await ledger.MarkFailedAsync(Campaign, "C-10", null, "invalid_parameter", "refused", ct); // failed
        var states = await ledger.CountByStateAsync(Campaign, ct);
        Assert.That(states, Is.EquivalentTo(new Dictionary<string, int>
        {
            [LedgerState.Pending] = 1, [LedgerState.Claimed] = 2, [LedgerState.Rejected] = 1, [LedgerState.Submitting] = 2,
            [LedgerState.Submitted] = 1, [LedgerState.Completed] = 1, [LedgerState.Failed] = 1,
        }));

        Task EnqueueAsync(string key) => ledger.EnqueueAsync(
            Campaign, [new PendingWork(key, RecipientIdentity.IdempotencyKey(Campaign, key, 1), RecipientIdentity.Marker(Campaign, key))], 0, ct);

        Task BeginAsync(string key) => ledger.TryBeginSubmissionAsync(
            Campaign, key, RecipientIdentity.IdempotencyKey(Campaign, key, 1), RecipientIdentity.Marker(Campaign, key), ct);
    }
}
