using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Relational;

/// <summary>The ledger's work queue, on every engine: claims never overlap, dead holders' leases pass on.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class LedgerClaimTests(string engine) : LedgerFixture(engine)
{
    private static List<PendingWork> Work(int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"K{i:D4}").Select(k => new PendingWork(k, RecipientIdentity.IdempotencyKey("c", k, 1), RecipientIdentity.Marker("c", k)))];

    [Test]
    public async Task Migrations_are_recorded_and_run_once()
    {
        var again = await ledger.MigrateAsync(CancellationToken.None);

        Assert.That(again, Is.Empty);
    }

    [Test]
    public async Task Enqueue_is_idempotent()
    {
        await ledger.EnqueueAsync("c", Work(30), 0, CancellationToken.None);
        await ledger.EnqueueAsync("c", Work(40), 0, CancellationToken.None);

        var counts = await ledger.CountByStateAsync("c", CancellationToken.None);

        Assert.That(counts, Is.EqualTo(new Dictionary<string, int> { [LedgerState.Pending] = 40 }));
    }

    [Test]
    public async Task Concurrent_claims_never_hand_out_the_same_entry()
    {
        await ledger.EnqueueAsync("c", Work(300), 0, CancellationToken.None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await ledger.ClaimAsync("c", $"w{w}", 7, TimeSpan.FromMinutes(1), CancellationToken.None) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(e => e.RecipientKey));
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.That(all, Has.Count.EqualTo(300));
        Assert.That(all, Is.Unique);
    }

    [Test]
    public async Task An_expired_lease_passes_the_work_to_another_holder()
    {
        await ledger.EnqueueAsync("c", Work(3), 0, CancellationToken.None);
        var dead = await ledger.ClaimAsync("c", "dead", 10, TimeSpan.FromMinutes(2), CancellationToken.None);
        await ledger.BeginSubmittingAsync("c", "K0001", "dead", CancellationToken.None);

        var tooEarly = await ledger.ClaimAsync("c", "alive", 10, TimeSpan.FromMinutes(2), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        var takenOver = await ledger.ClaimAsync("c", "alive", 10, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.That(dead, Has.Count.EqualTo(3));
        Assert.That(tooEarly, Is.Empty);
        Assert.That(takenOver.Select(e => (e.RecipientKey, e.State, e.ClaimedBy)), Is.EqualTo(new[]
        {
            ("K0001", LedgerState.Submitting, "alive"), ("K0002", LedgerState.Claimed, "alive"), ("K0003", LedgerState.Claimed, "alive"),
        }));
        Assert.That(takenOver[0].IdempotencyKey, Is.EqualTo(dead[0].IdempotencyKey), "a taken-over create is replayed, never sent anew");
    }

    [Test]
    public async Task Renewed_leases_keep_the_work()
    {
        await ledger.EnqueueAsync("c", Work(2), 0, CancellationToken.None);
        await ledger.ClaimAsync("c", "w1", 10, TimeSpan.FromMinutes(2), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1.5));
        await ledger.RenewLeasesAsync("c", "w1", TimeSpan.FromMinutes(2), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1.5));

        var other = await ledger.ClaimAsync("c", "w2", 10, TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.That(other, Is.Empty);
    }

    [Test]
    public async Task A_rejected_row_is_pending_again_in_a_later_run()
    {
        await ledger.EnqueueAsync("c", Work(1), 0, CancellationToken.None);
        await ledger.ClaimAsync("c", "w1", 10, TimeSpan.FromMinutes(2), CancellationToken.None);
        await ledger.MarkRejectedAsync("c", "K0001", "w1", "column 'first_name' is empty", CancellationToken.None);
        var sameRun = time.GetUtcNow().ToUnixTimeMilliseconds() - 1;
        time.Advance(TimeSpan.FromSeconds(1));

        await ledger.EnqueueAsync("c", Work(1), sameRun, CancellationToken.None);
        var stillRejected = await ledger.GetAsync("c", "K0001", CancellationToken.None);
        await ledger.EnqueueAsync("c", Work(1), time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
        var pendingAgain = await ledger.GetAsync("c", "K0001", CancellationToken.None);

        Assert.That((stillRejected!.State, pendingAgain!.State), Is.EqualTo((LedgerState.Rejected, LedgerState.Pending)));
    }
}
