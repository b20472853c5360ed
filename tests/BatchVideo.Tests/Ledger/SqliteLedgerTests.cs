using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Ledger;

[TestFixture]
public sealed class SqliteLedgerTests
{
    private TempFolder folder = null!;
    private FakeTimeProvider time = null!;
    private LedgerStore ledger = null!;

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", time);
        await ledger.MigrateAsync(CancellationToken.None);
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Test]
    public async Task Migrations_run_once()
    {
        var again = await ledger.MigrateAsync(CancellationToken.None);

        Assert.That(again, Is.Empty);
    }

    [Test]
    public async Task A_recipient_can_be_claimed_only_once()
    {
        var first = await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        var second = await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k2", "m1", CancellationToken.None);
        var otherCampaign = await ledger.TryBeginSubmissionAsync("renewal", "C-1", "k3", "m2", CancellationToken.None);

        Assert.That((first, second, otherCampaign), Is.EqualTo((true, false, true)));
        var entry = await ledger.GetAsync("welcome", "C-1", CancellationToken.None);
        Assert.That(entry!.IdempotencyKey, Is.EqualTo("k1"));
        Assert.That(entry.State, Is.EqualTo(LedgerState.Submitting));
        Assert.That(entry.CreatedAt, Is.EqualTo(time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    [Test]
    public async Task Entry_moves_from_submitting_to_completed_keeping_the_video()
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", "waiting", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        await ledger.MarkCompletedAsync("welcome", "C-1", "https://files/vid-1.mp4", "https://app/vid-1", CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-1", CancellationToken.None);

        Assert.That(entry!.State, Is.EqualTo(LedgerState.Completed));
        Assert.That(entry.VideoId, Is.EqualTo("vid-1"));
        Assert.That(entry.VideoUrl, Is.EqualTo("https://files/vid-1.mp4"));
        Assert.That(entry.VideoPageUrl, Is.EqualTo("https://app/vid-1"));
        Assert.That(entry.CompletedAt - entry.SubmittedAt, Is.EqualTo(180_000));
    }

    [Test]
    public async Task A_submitted_entry_cannot_be_released()
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", "waiting", CancellationToken.None);

        var released = await ledger.ReleaseAsync("welcome", "C-1", CancellationToken.None);

        Assert.That(released, Is.False);
        Assert.That(await ledger.GetAsync("welcome", "C-1", CancellationToken.None), Is.Not.Null);
    }

    [Test]
    public async Task Retrying_a_failed_entry_raises_the_attempt_once()
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkFailedAsync("welcome", "C-1", null, "invalid_parameter", "bad", CancellationToken.None);

        var first = await ledger.TryRetryFailedAsync("welcome", "C-1", 1, "k2", CancellationToken.None);
        var second = await ledger.TryRetryFailedAsync("welcome", "C-1", 1, "k3", CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-1", CancellationToken.None);
        Assert.That((first, second), Is.EqualTo((true, false)));
        Assert.That((entry!.Attempt, entry.IdempotencyKey, entry.State), Is.EqualTo((2, "k2", LedgerState.Submitting)));
    }

    [Test]
    public async Task Lookup_of_many_keys_spans_several_statements()
    {
        var keys = Enumerable.Range(0, 1234).Select(i => $"K{i}").ToList();
        foreach (var key in keys.Where((_, i) => i % 2 == 0))
        {
            await ledger.TryBeginSubmissionAsync("welcome", key, "k-" + key, "m", CancellationToken.None);
        }

        var found = await ledger.GetAsync("welcome", keys, CancellationToken.None);

        Assert.That(found, Has.Count.EqualTo(617));
        Assert.That(await ledger.CountByStateAsync("welcome", CancellationToken.None), Is.EqualTo(new Dictionary<string, int> { [LedgerState.Submitting] = 617 }));
    }
}
