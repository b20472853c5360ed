using System.Text;
using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Pages;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;
using BatchVideo.WriteBack;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// The recipient-page cells (<c>Columns:Page</c>, <c>Views</c>, <c>FirstViewedAt</c>, <c>WatchedPercent</c>,
/// <c>CtaClickedAt</c>, <c>EmailHtml</c>) as written back, and the campaign totals the review and status pages show.
/// </summary>
[TestFixture]
public sealed class PageFactsTests
{
    private static readonly Uri Base = new("https://videos.example.com/");
    private static readonly string[] PageColumns = ["page_url", "views", "first_viewed_at", "watched_pct", "cta_clicked_at", "email_html"];

    [Test]
    public void Cells_are_invariant_and_times_iso_8601_utc_whatever_the_culture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
        try
        {
            var seen = new Engagement("c", "k1", "tok", 1234, new DateTimeOffset(2026, 12, 6, 6, 10, 7, TimeSpan.FromHours(2)), 75, null);
            var page = new RecipientPage(new Uri(Base, "v/tok"), new Uri(Base, "v/tok/poster"), seen);

            Assert.That(
                new[] { "Page", "Views", "FirstViewedAt", "WatchedPercent", "CtaClickedAt" }.Select(page.Cell),
                Is.EqualTo(new[] { "https://videos.example.com/v/tok", "1234", "2026-12-06T04:10:07Z", "75", null }));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Test]
    public void Email_snippet_links_the_poster_to_the_page_and_encodes_every_value()
    {
        var html = EmailSnippet.For(new Uri("https://v.example.com/v/a\"b?x=1&y=<2>"), new Uri("https://v.example.com/p.gif?a=1&b=2"), "Ann's \"video\" <b>");

        Assert.That(html, Does.StartWith("<a href=\"https://v.example.com/v/a%22b?x=1&amp;y=%3C2%3E\"><img src=\"https://v.example.com/p.gif?a=1&amp;b=2\"")
            .And.Contain("alt=\"Ann&#x27;s &quot;video&quot; &lt;b&gt;\"")
            .And.EndWith("></a>"));
        Assert.Throws<ArgumentException>(() => EmailSnippet.For(new Uri("javascript:alert(1)"), null));
    }

    [Test]
    public void The_e_mail_poster_of_a_download_campaign_is_its_own_stored_thumbnail()
    {
        using var folder = new TempFolder();
        var video = folder.Write("welcome/vid1.mp4", "mp4");
        folder.Write("welcome/vid1.jpg", "jpg");
        var entry = Completed("1") with { LocalPath = video, ThumbnailUrl = "https://heygen.example/thumb.jpg?Expires=1" };
        var page = new Uri(Base, "v/tok1");
        var published = new BatchVideo.Links.StorageOptions { Folder = folder.Path, PublicBaseUrl = new Uri("https://cdn.example.com/videos/") };

        Assert.That(CampaignPages.StoredPoster(entry, page, storesFiles: true, new() { Folder = folder.Path })?.AbsoluteUri, Is.EqualTo(page.AbsoluteUri + "/poster"), "served beside the page");
        Assert.That(CampaignPages.StoredPoster(entry, page, storesFiles: true, published)?.AbsoluteUri, Is.EqualTo("https://cdn.example.com/videos/welcome/vid1.jpg"));
        Assert.That(CampaignPages.StoredPoster(entry, page, storesFiles: false, published), Is.Null, "a campaign that does not download uses HeyGen's image");
        Assert.That(CampaignPages.StoredPoster(entry with { LocalPath = folder.File("welcome/none.mp4") }, page, storesFiles: true, published), Is.Null);
    }

    [Test]
    public void Totals_count_each_recipient_once()
    {
        var at = DateTimeOffset.UnixEpoch;
        Engagement[] recipients =
        [
            new("c", "a", "t1", 3, at, 100, at),
            new("c", "b", "t2", 1, at, 50, null),
            new("c", "c", "t3", 1, at, 25, null),
            new("c", "d", "t4", 0, null, 0, null),
        ];

        var totals = EngagementTotals.Of(recipients);

        Assert.That(totals, Is.EqualTo(new EngagementTotals(4, 3, 2, 1)));
        Assert.That(totals.ToString(), Is.EqualTo("4 sent, 3 opened, 2 watched half, 1 clicked"));
    }

    [Test]
    public void Page_columns_need_pages_on_and_are_allowed_on_a_table_campaign()
    {
        var errors = new List<string>();
        VideoTypes.Validate("Campaigns:t", new CampaignOptions { AvatarId = "a", VoiceId = "v", Source = new(), Pages = new() { Enabled = true }, Columns = new() { Views = "views", Page = "page" } }, errors);
        Assert.That(errors, Is.Empty);

        VideoTypes.Validate("Campaigns:off", new CampaignOptions { AvatarId = "a", VoiceId = "v", Columns = new() { Views = "views" } }, errors);
        Assert.That(errors.Single(), Does.StartWith("Campaigns:off:Columns:Views need Campaigns:off:Pages:Enabled true"));
    }

    [Test]
    public async Task Page_cells_reach_a_quoted_export_and_a_later_view_changes_only_its_cells()
    {
        using var folder = new TempFolder();
        var columns = new WriteBackColumns
        {
            Page = "page_url", Views = "views", FirstViewedAt = "first_viewed_at", WatchedPercent = "watched_pct", CtaClickedAt = "cta_clicked_at", EmailHtml = "email_html",
        };
        // Salesforce style: every cell quoted, a note over two lines, CRLF ends, no final line break.
        var original = Encoding.UTF8.GetBytes(
            "\"id\",\"first_name\",\"note\"\r\n\"1\",\"Ann\",\"likes \"\"video\"\"\r\nsecond line\"\r\n\"2\",\"Bo\",\"\"\r\n\"3\",\"Cy\",\"x, y\"");
        var path = folder.WriteBytes("export.csv", original);
        var views = new Dictionary<string, Engagement>
        {
            ["1"] = new("c", "1", "tok1", 0, null, 0, null),
            ["2"] = new("c", "2", "tok2", 0, null, 0, null),
        };

        await WriteBackAsync(path, columns, views);
        var first = File.ReadAllBytes(path);
        views["2"] = views["2"] with { Views = 2, FirstViewedAt = new DateTimeOffset(2026, 12, 6, 4, 0, 0, TimeSpan.Zero), WatchedPercent = 50 };
        await WriteBackAsync(path, columns, views);
        var second = File.ReadAllBytes(path);

        var written = CsvBytes.AssertOnlyVideoCellsChanged(original, first, ',', videoColumns: ["video_id", "video_status", "video_url", .. PageColumns]);
        Assert.That(written[1]![3..6], Is.EqualTo(new[] { "https://videos.example.com/v/tok1", "0", "" }));
        Assert.That(written[1]![8], Does.Contain("href=\"https://videos.example.com/v/tok1\""));
        Assert.That(written[3]![3], Is.Empty, "no video, no page");
        var (_, before) = CsvBytes.Split(first, ',');
        var (_, after) = CsvBytes.Split(second, ',');
        Assert.That(after[1].Cells, Is.EqualTo(before[1].Cells), "row 1: nothing new, not one byte changed");
        Assert.That(after[3].Cells, Is.EqualTo(before[3].Cells));
        var changed = Enumerable.Range(0, before[2].Cells.Count).Where(i => before[2].Cells[i] != after[2].Cells[i]).Select(i => PageColumns.ElementAtOrDefault(i - 6) ?? $"cell {i}");
        Assert.That(changed, Is.EqualTo(new[] { "views", "first_viewed_at", "watched_pct" }));
        Assert.That(after[2].Cells.Skip(6).Take(4).Select(CsvBytes.Unquote), Is.EqualTo(new[] { "https://videos.example.com/v/tok2", "2", "2026-12-06T04:00:00Z", "50" }));
    }

    private static async Task WriteBackAsync(string path, WriteBackColumns columns, Dictionary<string, Engagement> views)
    {
        var campaign = new CampaignOptions { Columns = columns };
        var pages = RecipientPages.Of(views, Base);
        await CsvContactSource.Open(path, "id", columns).WriteBackAsync(
            (keys, _) => Task.FromResult<IReadOnlyDictionary<string, WriteBackValues>>(keys.Where(views.ContainsKey).ToDictionary(
                k => k,
                k => RunWriteBack.ToWriteBack(Completed(k), campaign, new BatchVideo.Links.StorageOptions(), pages))),
            CancellationToken.None);
    }

    private static LedgerEntry Completed(string key) => new()
    {
        Campaign = "c",
        RecipientKey = key,
        State = LedgerState.Completed,
        IdempotencyKey = "i" + key,
        TitleMarker = "m" + key,
        VideoId = "vid" + key,
        VideoStatus = "completed",
        VideoPageUrl = "https://app.heygen.com/videos/vid" + key,
    };
}
