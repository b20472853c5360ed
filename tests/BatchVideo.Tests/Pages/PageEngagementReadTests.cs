using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// How a write-back and a review page read engagement without holding a campaign (issue 25, step 6): by keys, a page of
/// keys at a time, and totals in one aggregate, on every engine.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Engines))]
[Category("Integration")]
[Category("Relational")]
public sealed class PageEngagementReadTests(string engine)
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    // K01..K12 finished, K13 still rendering; another campaign's K01 finished too (never counted here).
    private static readonly string[] Finished = [.. Enumerable.Range(1, 12).Select(i => $"K{i:D2}")];

    private TempFolder folder = null!;
    private TestDatabase? database;
    private LedgerStore ledger = null!;
    private Dictionary<string, string> tokens = null!;

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        database = await TestDatabase.CreateAsync(engine, folder);
        ledger = new LedgerStore(LedgerDialect.For(database.Engine.Kind), database.ConnectionString, new FakeTimeProvider(Noon));
        await ledger.MigrateAsync(CancellationToken.None);
        foreach (var (campaign, key) in Finished.Append("K13").Select(k => ("welcome", k)).Append(("other", "K01")))
        {
            await ledger.TryBeginSubmissionAsync(campaign, key, $"i-{campaign}-{key}", $"m-{campaign}-{key}", CancellationToken.None);
            await ledger.MarkSubmittedAsync(campaign, key, $"vid-{campaign}-{key}", "waiting", CancellationToken.None);
            if (key != "K13")
            {
                await ledger.MarkCompletedAsync(campaign, key, "https://files/" + key, "https://app/" + key, CancellationToken.None);
            }
        }

        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        await ledger.EnsurePageTokensAsync("other", CancellationToken.None);
        tokens = (await ledger.ReadEngagementAsync("welcome", Finished, CancellationToken.None)).ToDictionary(e => e.Key, e => e.Value.PageToken);
    }

    [TearDown]
    public async Task TearDown()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        folder.Dispose();
    }

    [Test]
    public async Task Engagement_is_read_for_the_keys_asked_and_only_recipients_with_a_finished_video()
    {
        await ledger.RecordPageEventAsync(tokens["K02"], PageEvents.Opened, null, Noon, CancellationToken.None);

        var read = await ledger.ReadEngagementAsync("welcome", ["K02", "K05", "K13", "nobody"], CancellationToken.None);

        Assert.That(read.Keys, Is.EquivalentTo(new[] { "K02", "K05" }), "K13 renders, nobody is unknown");
        Assert.That(read["K02"], Is.EqualTo(new Engagement("welcome", "K02", tokens["K02"], 1, Noon, 0, null)));
        Assert.That(read["K05"].Views, Is.Zero);
    }

    [Test]
    public async Task A_campaign_is_read_a_page_of_keys_at_a_time_and_active_pages_hold_only_recipients_who_did_something()
    {
        await ledger.RecordPageEventAsync(tokens["K03"], PageEvents.Opened, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K07"], PageEvents.Progress, 25, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K11"], PageEvents.Cta, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K12"], PageEvents.Opened, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K09"], PageEvents.Play, null, Noon, CancellationToken.None); // a play alone is not a view

        var all = await PagesAsync(activeOnly: false, pageSize: 5);
        var active = await PagesAsync(activeOnly: true, pageSize: 2);

        Assert.That(all.Select(p => p.Count), Is.EqualTo(new[] { 5, 5, 2 }));
        Assert.That(all.SelectMany(p => p).Select(e => e.RecipientKey), Is.EqualTo(Finished), "every finished recipient once, in key order");
        Assert.That(all.SelectMany(p => p).Select(e => e.Campaign), Has.All.EqualTo("welcome"));
        Assert.That(active.SelectMany(p => p).Select(e => e.RecipientKey), Is.EqualTo(new[] { "K03", "K07", "K11", "K12" }));
        Assert.That(active.Select(p => p.Count), Is.EqualTo(new[] { 2, 2 }), "a full last page asks once more and finds none");
    }

    [Test]
    public async Task Totals_are_one_aggregate_that_counts_each_recipient_as_their_engagement_does()
    {
        await ledger.RecordPageEventAsync(tokens["K01"], PageEvents.Opened, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K01"], PageEvents.Opened, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K01"], PageEvents.Progress, 50, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K02"], PageEvents.Opened, null, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K02"], PageEvents.Progress, 25, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K04"], PageEvents.Progress, 100, Noon, CancellationToken.None);
        await ledger.RecordPageEventAsync(tokens["K04"], PageEvents.Cta, null, Noon, CancellationToken.None);
        var other = (await ledger.ReadEngagementAsync("other", ["K01"], CancellationToken.None))["K01"].PageToken;
        await ledger.RecordPageEventAsync(other, PageEvents.Opened, null, Noon, CancellationToken.None);

        var totals = await ledger.ReadEngagementTotalsAsync("welcome", CancellationToken.None);
        var counted = EngagementTotals.Of((await PagesAsync(activeOnly: false, pageSize: 100)).SelectMany(p => p));

        Assert.That(totals, Is.EqualTo(new EngagementTotals(12, 2, 2, 1)));
        Assert.That(totals, Is.EqualTo(counted), "the aggregate and counting each recipient agree");
        Assert.That(await ledger.ReadEngagementTotalsAsync("nothing", CancellationToken.None), Is.EqualTo(new EngagementTotals(0, 0, 0, 0)));
    }

    private async Task<List<IReadOnlyList<Engagement>>> PagesAsync(bool activeOnly, int pageSize)
    {
        var pages = new List<IReadOnlyList<Engagement>>();
        await foreach (var page in ledger.ReadEngagementPagesAsync("welcome", activeOnly ? EngagementSelection.Active : EngagementSelection.Every, pageSize, CancellationToken.None))
        {
            pages.Add(page);
        }

        return pages;
    }
}
