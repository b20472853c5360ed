using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchVideo.Pages;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>
/// Issue 25's "Done when", whole: a CSV campaign of 20 rows with pages on, run against the sandbox; 3 pages opened in
/// headless Chromium and 3 others fetched without a browser; the next run over the same file sends nothing and leaves
/// exactly the 3 opened rows with views and a first view; a made-up token is a 404; no byte outside the video and
/// page cells changed; and the sales rep's channel heard <c>first_view</c> once per opened recipient.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Browser")]
public sealed class RecipientPagesDoneWhenTests
{
    [Test]
    public async Task Opened_pages_and_only_they_come_back_as_views_in_the_next_run_over_the_same_file()
    {
        await using var sink = await WebhookSink.StartAsync();
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200) });
        var address = ServeNode.FreeAddress();
        harness.WriteConfig(c =>
        {
            PageWriteBackTests.TurnPagesOn(c, address);
            c["Notifications"] = new JsonObject { ["WebhookUrl"] = sink.Url.AbsoluteUri, ["Timeout"] = "00:00:03" };
        });
        var csv = harness.WriteCsv(20);
        var original = File.ReadAllBytes(csv);
        string[] columns = ["video_id", "video_status", "video_url", .. PageWriteBackTests.PageColumns];

        var first = await harness.RunAsync(csv);
        var pages = CsvBytes.AssertOnlyVideoCellsChanged(original, File.ReadAllBytes(csv), ',', videoColumns: columns).Skip(1).Select(c => new Uri(c![3])).ToList();
        await using var browser = await Chromium.LaunchAsync();
        await using var node = await ServeNode.StartAsync(harness, address);
        var ledger = harness.Ledger(TimeProvider.System);
        int[] opened = [2, 9, 15], fetched = [4, 11, 18];
        foreach (var i in opened)
        {
            var (page, errors) = await Chromium.OpenAsync(browser, pages[i - 1].AbsoluteUri);
            await Eventually.HappensAsync(async () => (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))[$"C-{i}"].Views == 1, TimeSpan.FromSeconds(15), () => node.Log);
            Assert.That(errors, Is.Empty, $"C-{i}'s page");
            await page.CloseAsync();
        }

        var (again, _) = await Chromium.OpenAsync(browser, pages[1].AbsoluteUri); // C-2 comes back: a view, not a first view
        await Eventually.HappensAsync(async () => (await ledger.ReadEngagementAsync("welcome", CancellationToken.None))["C-2"].Views == 2, TimeSpan.FromSeconds(15), () => node.Log);
        await again.CloseAsync();
        using var http = new HttpClient();
        var plain = new List<HttpStatusCode>();
        foreach (var i in fetched)
        {
            using var answer = await http.GetAsync(pages[i - 1]);
            plain.Add(answer.StatusCode);
        }

        using var madeUp = await http.GetAsync(PageLinks.Url(address, PageTokens.New()));
        var status = await http.GetStringAsync(address);
        await Eventually.HappensAsync(() => Task.FromResult(FirstViews(sink).Count >= 3), TimeSpan.FromSeconds(15), () => node.Log);
        var second = await harness.RunAsync(csv);
        var final = File.ReadAllBytes(csv);

        Assert.That((first.Completed, second.Submitted, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((20L, 0L, 20)), "the second run sends nothing");
        Assert.That(pages.Select(p => p.AbsoluteUri), Has.All.StartWith(address.AbsoluteUri + "v/"), "every row has a page URL");
        Assert.That(pages.Distinct().Count(), Is.EqualTo(20));
        Assert.That(plain, Has.All.EqualTo(HttpStatusCode.OK), "the fetched pages were served");
        Assert.That(madeUp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(status, Does.Contain("<td>20 sent, 3 opened, 0 watched half, 0 clicked</td>"), "serve's status page totals");
        var rows = CsvBytes.AssertOnlyVideoCellsChanged(original, final, ',', videoColumns: columns).Skip(1).Select(c => c!).ToList();
        var viewed = Enumerable.Range(1, 20).Where(i => int.Parse(rows[i - 1][4], System.Globalization.CultureInfo.InvariantCulture) >= 1 && rows[i - 1][5].Length > 0).ToList();
        var none = Enumerable.Range(1, 20).Where(i => rows[i - 1][4] == "0" && rows[i - 1][5].Length == 0).ToList();
        Assert.That(viewed, Is.EqualTo(opened), "exactly the opened rows have Views >= 1 and a FirstViewedAt");
        Assert.That(none, Is.EqualTo(Enumerable.Range(1, 20).Except(opened)), "the other 17, fetched ones included, have none");
        Assert.That(rows.Select(r => r[3]), Is.EqualTo(pages.Select(p => p.AbsoluteUri)), "a page's address never changes");
        await Task.Delay(500); // a fourth post, if one were wrongly sent for C-2's second view, has time to arrive
        var views = FirstViews(sink);
        Assert.That(views.Select(m => m.GetProperty("key").GetString()), Is.EquivalentTo(opened.Select(i => $"C-{i}")), "first_view once per opened recipient");
        Assert.That(views.Select(m => m.GetProperty("page").GetString()), Is.EquivalentTo(opened.Select(i => pages[i - 1].AbsoluteUri)));
        Assert.That(views.Select(m => m.GetProperty("campaign").GetString()), Has.All.EqualTo("welcome"));
    }

    /// <summary>The <c>first_view</c> posts received (the runs' own <c>run_finished</c> posts go to the same channel).</summary>
    private static List<JsonElement> FirstViews(WebhookSink sink) =>
        [.. sink.Received.Select(r => JsonDocument.Parse(r.Body).RootElement).Where(m => m.GetProperty("event").GetString() == "first_view")];
}
