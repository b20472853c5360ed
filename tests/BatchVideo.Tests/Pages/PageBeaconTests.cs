using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Pages;

/// <summary>The beacon handler on a real SQLite ledger: parsing, the per-page limit, and the first view told once.</summary>
[TestFixture]
public sealed class PageBeaconTests
{
    private TempFolder folder = null!;
    private LedgerStore ledger = null!;
    private string token = "";

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56)));
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k", "m", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", null, CancellationToken.None);
        await ledger.MarkCompletedAsync("welcome", "C-1", "https://files/1.mp4", null, CancellationToken.None);
        await ledger.EnsurePageTokensAsync("welcome", CancellationToken.None);
        token = (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].PageToken;
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Test]
    public async Task The_first_view_is_told_once_and_beacons_past_the_limit_are_dropped()
    {
        var observer = new Observer();
        using var beacons = new PageBeacons(ledger, Options.Create(new PagesOptions { BeaconsPerMinute = 5 }), TimeProvider.System, [observer]);

        var outcomes = new List<BeaconOutcome>();
        for (var i = 0; i < 8; i++)
        {
            outcomes.Add(await beacons.HandleAsync(token, """{"kind":"opened"}"""u8.ToArray(), CancellationToken.None));
        }

        Assert.That(outcomes, Is.EqualTo(Enumerable.Repeat(BeaconOutcome.Accepted, 5).Concat(Enumerable.Repeat(BeaconOutcome.Limited, 3))));
        Assert.That(observer.Seen, Is.EqualTo(new[] { "welcome/C-1" }));
        Assert.That((await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-1"].Views, Is.EqualTo(5));
    }

    [TestCase("""{"kind":"progress","percent":50}""", true)]
    [TestCase("""{"kind":"cta"}""", true)]
    [TestCase("""{"kind":"progress"}""", false)]
    [TestCase("""{"kind":"opened","percent":25}""", false)]
    [TestCase("""["opened"]""", false)]
    [TestCase("""{"kind":7}""", false)]
    [TestCase("", false)]
    public void Only_a_known_kind_with_its_mark_is_a_beacon(string body, bool valid) =>
        Assert.That(PageBeacons.Parse(System.Text.Encoding.UTF8.GetBytes(body)) is not null, Is.EqualTo(valid));

    private sealed class Observer : IFirstViewObserver
    {
        public List<string> Seen { get; } = [];

        public Task OnFirstViewAsync(PageLookup page, DateTimeOffset at, CancellationToken ct)
        {
            Seen.Add($"{page.Campaign}/{page.RecipientKey}");
            return Task.CompletedTask;
        }
    }
}
