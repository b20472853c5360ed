using System.Text.Json.Nodes;
using BatchVideo.Pages;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// Recipient pages back into the source with the real ledger and write-back: every done row gets its page, and the
/// next run over the same export (or table) brings each recipient's numbers up to date, sends nothing, and changes
/// no byte outside the video and page cells.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PageWriteBackTests
{
    internal static readonly string[] PageColumns = ["page_url", "views", "first_viewed_at", "watched_percent", "cta_clicked_at", "email_html"];

    internal static void TurnPagesOn(JsonObject config, Uri publicBase)
    {
        config["Pages"] = new JsonObject { ["PublicBaseUrl"] = publicBase.AbsoluteUri };
        var campaign = config["Campaigns"]!["welcome"]!.AsObject();
        campaign["Pages"] = new JsonObject { ["Enabled"] = true };
        campaign["Columns"] = new JsonObject
        {
            ["Page"] = PageColumns[0], ["Views"] = PageColumns[1], ["FirstViewedAt"] = PageColumns[2], ["WatchedPercent"] = PageColumns[3], ["CtaClickedAt"] = PageColumns[4], ["EmailHtml"] = PageColumns[5],
        };
    }

    [Test]
    public async Task A_rerun_brings_views_into_exactly_the_opened_rows_and_sends_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var publicBase = new Uri("http://127.0.0.1:5999/");
        harness.WriteConfig(c => TurnPagesOn(c, publicBase));
        var csv = harness.WriteCsv(20);
        var original = File.ReadAllBytes(csv);

        var first = await harness.RunAsync(csv);
        var written = File.ReadAllBytes(csv);
        var ledger = harness.Ledger(TimeProvider.System);
        var pages = await ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        var opened = new[] { "C-3", "C-11", "C-17" };
        var at = new DateTimeOffset(2026, 12, 6, 9, 30, 5, TimeSpan.Zero);
        foreach (var key in opened)
        {
            Assert.That(await ledger.RecordPageEventAsync(pages[key].PageToken, PageEvents.Opened, null, at, CancellationToken.None), Is.True, key);
        }

        await ledger.RecordPageEventAsync(pages["C-3"].PageToken, PageEvents.Opened, null, at.AddMinutes(5), CancellationToken.None);
        await ledger.RecordPageEventAsync(pages["C-11"].PageToken, PageEvents.Progress, 50, at, CancellationToken.None);
        await ledger.RecordPageEventAsync(pages["C-11"].PageToken, PageEvents.Cta, null, at.AddSeconds(40), CancellationToken.None);
        var second = await harness.RunAsync(csv);
        var refreshed = File.ReadAllBytes(csv);

        Assert.That((first.Completed, second.Submitted, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((20L, 0L, 20)), "the rerun sends nothing");
        var firstCells = CsvBytes.AssertOnlyVideoCellsChanged(original, written, ',', videoColumns: ["video_id", "video_status", "video_url", .. PageColumns]);
        var cells = CsvBytes.AssertOnlyVideoCellsChanged(original, refreshed, ',', videoColumns: ["video_id", "video_status", "video_url", .. PageColumns]);
        var rows = cells.Skip(1).Select(c => c!).ToList();
        Assert.That(rows.Select(r => r[3]), Has.All.StartWith(publicBase.AbsoluteUri + "v/"), "every row has its page");
        Assert.That(rows.Select(r => r[3]).Distinct().Count(), Is.EqualTo(20));
        Assert.That(rows.Select(r => r[3]), Is.EqualTo(firstCells.Skip(1).Select(c => c![3])), "a page's address never changes");
        var viewed = rows.Select((r, i) => (Key: $"C-{i + 1}", Views: int.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture), First: r[5])).Where(r => r.Views >= 1 || r.First.Length > 0).ToList();
        Assert.That(viewed.Select(v => v.Key), Is.EquivalentTo(opened), "exactly the opened rows have views and a first view");
        Assert.That(viewed.All(v => v.First == "2026-12-06T09:30:05Z"), Is.True);
        Assert.That(rows[2][4], Is.EqualTo("2"), "C-3 opened twice");
        Assert.That((rows[10][6], rows[10][7]), Is.EqualTo(("50", "2026-12-06T09:30:45Z")), "C-11 watched half and clicked");
        Assert.That(rows[0][8], Does.StartWith($"<a href=\"{rows[0][3]}\">"));
        var (_, before) = CsvBytes.Split(written, ',');
        var (_, after) = CsvBytes.Split(refreshed, ',');
        var changedRows = Enumerable.Range(0, before.Count).Where(i => !before[i].Cells.SequenceEqual(after[i].Cells)).ToList();
        Assert.That(changedRows, Is.EqualTo(new[] { 3, 11, 17 }), "only the opened rows' records changed");
        var review = await File.ReadAllTextAsync(second.ReviewPagePath!);
        Assert.That(review, Does.Contain("pages sent<b>20</b>").And.Contain("opened<b>3</b>").And.Contain("watched half<b>1</b>").And.Contain("clicked<b>1</b>"));
        Assert.That(review, Does.Contain("2 views, watched 0%"));
    }
}
