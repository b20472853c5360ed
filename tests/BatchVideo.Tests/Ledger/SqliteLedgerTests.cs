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

    [Test]
    public async Task A_version_1_ledger_is_upgraded_keeping_its_entries()
    {
        using var old = new TempFolder();
        var dialect = new SqliteLedgerDialect();
        var path = $"Data Source={old.File("old.db")}";
        await using (var connection = await dialect.Engine.OpenAsync(path, CancellationToken.None))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, dialect.Bootstrap.Single());
            foreach (var statement in dialect.Migrations[0].Statements)
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, statement);
            }

            await Dapper.SqlMapper.ExecuteAsync(connection, "INSERT INTO batchvideo_migrations VALUES (1, 'ledger entries', 0)");
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO ledger_entries (campaign, recipient_key, state, attempt, idempotency_key, title_marker, video_id, created_at, updated_at)
                VALUES ('welcome', 'C-1', 'submitted', 1, 'k1', 'm1', 'vid-1', 0, 0)
                """);
        }

        var upgraded = new LedgerStore(dialect, path, time);
        var ran = await upgraded.MigrateAsync(CancellationToken.None);

        Assert.That(ran.Select(m => m.Version), Is.EqualTo(new[] { 2, 3, 4, 5, 6 }));
        var entry = await upgraded.FindByVideoIdAsync("vid-1", CancellationToken.None);
        Assert.That((entry!.RecipientKey, entry.LocalPath, entry.LinkExpiresAt), Is.EqualTo(("C-1", (string?)null, (long?)null)));
    }

    [Test]
    public async Task A_webhook_event_id_is_recorded_once()
    {
        var first = await ledger.RecordWebhookEventAsync("evt-1", "avatar_video.success", "vid-1", CancellationToken.None);
        var again = await ledger.RecordWebhookEventAsync("evt-1", "avatar_video.success", "vid-1", CancellationToken.None);

        Assert.That((first, again), Is.EqualTo((true, false)));
        Assert.That(await ledger.HasWebhookEventAsync("evt-1", CancellationToken.None), Is.True);
        Assert.That(await ledger.HasWebhookEventAsync("evt-2", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Old_webhook_event_ids_are_pruned()
    {
        await ledger.RecordWebhookEventAsync("evt-old", "avatar_video.success", null, CancellationToken.None);
        time.Advance(TimeSpan.FromDays(8));
        await ledger.RecordWebhookEventAsync("evt-new", "avatar_video.success", null, CancellationToken.None);

        var pruned = await ledger.PruneWebhookEventsAsync(time.GetUtcNow() - TimeSpan.FromDays(7), CancellationToken.None);

        Assert.That(pruned, Is.EqualTo(1));
        Assert.That(await ledger.HasWebhookEventAsync("evt-new", CancellationToken.None), Is.True);
    }

    [Test]
    public async Task A_video_completes_by_its_id_and_a_late_failure_does_not_undo_it()
    {
        await ledger.TryBeginSubmissionAsync("renewal", "C-9", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("renewal", "C-9", "vid-9", "waiting", CancellationToken.None);

        var completed = await ledger.MarkCompletedByVideoAsync("vid-9", new VideoLinks("https://files/vid-9.mp4", "https://app/vid-9", "https://files/vid-9.jpg", 1234), CancellationToken.None);
        var failedLate = await ledger.MarkFailedByVideoAsync("vid-9", "rendering_failed", "late", CancellationToken.None);
        var unknown = await ledger.MarkCompletedByVideoAsync("vid-unknown", new VideoLinks("u", "p", null, null), CancellationToken.None);

        var entry = await ledger.FindByVideoIdAsync("vid-9", CancellationToken.None);
        Assert.That((completed, failedLate, unknown), Is.EqualTo((true, false, false)));
        Assert.That((entry!.Campaign, entry.State, entry.ThumbnailUrl, entry.LinkExpiresAt), Is.EqualTo(("renewal", LedgerState.Completed, "https://files/vid-9.jpg", (long?)1234)));
    }

    [Test]
    public async Task Links_due_are_listed_in_pages_of_completed_entries_only()
    {
        for (var i = 0; i < 7; i++)
        {
            var key = $"C-{i}";
            await ledger.TryBeginSubmissionAsync("welcome", key, "k" + i, "m" + i, CancellationToken.None);
            await ledger.MarkSubmittedAsync("welcome", key, "vid-" + i, "waiting", CancellationToken.None);
            if (i != 6)
            {
                // C-0..C-2 expire soon, C-3..C-5 much later, C-6 is still rendering.
                var expires = time.GetUtcNow() + TimeSpan.FromDays(i < 3 ? 1 : 30);
                await ledger.MarkCompletedAsync("welcome", key, new VideoLinks("u" + i, "p" + i, null, expires.ToUnixTimeMilliseconds()), CancellationToken.None);
            }
        }

        var pages = new List<IReadOnlyList<LedgerEntry>>();
        await foreach (var page in ledger.ListLinksDueAsync("welcome", time.GetUtcNow() + TimeSpan.FromDays(2), 2, CancellationToken.None))
        {
            pages.Add(page);
        }

        Assert.That(pages.Select(p => p.Count), Is.EqualTo(new[] { 2, 1 }));
        Assert.That(pages.SelectMany(p => p).Select(e => e.RecipientKey), Is.EqualTo(new[] { "C-0", "C-1", "C-2" }));
    }
}
