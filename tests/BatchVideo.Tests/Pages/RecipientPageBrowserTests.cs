using BatchVideo.Pages;
using BatchVideo.Tests.Support;
using PuppeteerSharp;

namespace BatchVideo.Tests.Pages;

/// <summary>Recipient pages served by a real <c>serve</c>, opened in a real headless Chromium.</summary>
[TestFixture]
[Category("Integration")]
[Category("Browser")]
public sealed class RecipientPageBrowserTests
{
    private const string Hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>\" onmouseover=\"window.pwned=3";

    [Test]
    public async Task An_opened_page_counts_a_view_its_progress_and_its_click_and_asks_no_other_host()
    {
        await using var site = await PageSite.StartAsync(beforeServe: ledger => ledger.SetPageTextsAsync(
            "welcome",
            new Dictionary<string, PageTexts> { ["C-1"] = new("A video for Name1", "Book a call", "http://127.0.0.1:9/book") },
            CancellationToken.None));
        await using var browser = await Chromium.LaunchAsync();
        var pageUrl = await site.PageOfAsync("C-1");
        var (page, errors, requests) = await Chromium.OpenAsync(browser, pageUrl);
        await Eventually.HappensAsync(async () => (await site.EngagementOfAsync("C-1")).Views == 1, TimeSpan.FromSeconds(15), () => site.Node.Log);
        var before = await site.EngagementOfAsync("C-1");

        // The sandbox's MP4s are stand-ins no browser decodes, so the test plays the part of the media element:
        // the page's own script hears "play" and a "timeupdate" at 80% of a 20-second video.
        await page.EvaluateExpressionAsync("""
            (() => {
              const v = document.getElementById("video");
              Object.defineProperty(v, "duration", { get: () => 20 });
              Object.defineProperty(v, "currentTime", { get: () => 16, set: () => { } });
              v.dispatchEvent(new Event("play"));
              v.dispatchEvent(new Event("timeupdate"));
            })()
            """);
        await Eventually.HappensAsync(async () => (await site.EngagementOfAsync("C-1")).WatchedPercent == 75, TimeSpan.FromSeconds(15), () => site.Node.Log);
        var videoSource = await page.EvaluateExpressionAsync<string>("document.getElementById('video').src");
        var cookies = await page.EvaluateExpressionAsync<string>("document.cookie");
        string[] beforeClick;
        lock (requests)
        {
            beforeClick = [.. requests];
        }

        await page.ClickAsync("#cta");
        await Eventually.HappensAsync(async () => (await site.EngagementOfAsync("C-1")).CtaClickedAt is not null, TimeSpan.FromSeconds(15), () => site.Node.Log);

        Assert.That(before.Views, Is.EqualTo(1));
        Assert.That(before.FirstViewedAt, Is.Not.Null);
        Assert.That(errors, Is.Empty);
        Assert.That(cookies, Is.Empty);
        var allowed = new[] { site.Address.GetLeftPart(UriPartial.Authority), site.Harness.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority) };
        // data: addresses are Chromium's own media-control icons, not requests to anyone.
        var network = beforeClick.Select(r => new Uri(r)).Where(r => r.Scheme != "data").ToList();
        Assert.That(network.Select(r => r.GetLeftPart(UriPartial.Authority)).Distinct(), Is.SubsetOf(allowed), string.Join("\n", network));
        Assert.That(network.Count(r => r.AbsolutePath.StartsWith("/v/", StringComparison.Ordinal)), Is.EqualTo(6), "the page, then its beacons: opened, play, and progress 25, 50 and 75");
        Assert.That(videoSource, Does.StartWith(site.Harness.Sandbox.BaseAddress.AbsoluteUri), "HeyGen's signed link, from the ledger");
        var others = await site.Ledger.ReadEngagementAsync("welcome", CancellationToken.None);
        Assert.That(others.Where(e => e.Key != "C-1").Select(e => e.Value.Views), Is.All.Zero);
    }

    [Test]
    public async Task A_hostile_crm_value_is_inert_text_on_the_page()
    {
        await using var site = await PageSite.StartAsync(beforeServe: ledger => ledger.SetPageTextsAsync(
            "welcome",
            new Dictionary<string, PageTexts> { ["C-2"] = new(Hostile, Hostile, "javascript:window.pwned=4") },
            CancellationToken.None));
        await using var browser = await Chromium.LaunchAsync();
        var dialogs = new List<string>();

        var (page, errors, _) = await Chromium.OpenAsync(browser, await site.PageOfAsync("C-2"), dialog => dialogs.Add(dialog));
        await Eventually.HappensAsync(async () => (await site.EngagementOfAsync("C-2")).Views == 1, TimeSpan.FromSeconds(15), () => site.Node.Log);

        Assert.That(await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"), Is.EqualTo(Hostile));
        Assert.That(await page.EvaluateExpressionAsync<string>("document.title"), Is.EqualTo(Hostile));
        Assert.That(await page.EvaluateExpressionAsync<bool>("window.pwned === undefined"), Is.True);
        Assert.That(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('img, script:not(:last-of-type), #cta').length"), Is.Zero, "no element from the value, no button to a javascript: address");
        Assert.That(dialogs, Is.Empty);
        Assert.That(errors, Is.Empty);
    }

    [Test]
    public async Task A_sample_page_shows_texts_rendered_from_its_row_and_is_screenshotted()
    {
        var pages = new System.Text.Json.Nodes.JsonObject
        {
            ["Enabled"] = true,
            ["Heading"] = "A short video for {{ first_name }} at {{ company }}",
            ["CtaText"] = "Book a call, {{ first_name }}",
            ["CtaUrl"] = "https://example.com/book?who={{ key | string.downcase }}",
        };
        await using var site = await PageSite.StartAsync(rows: 1, pages: pages);
        await using var browser = await Chromium.LaunchAsync();

        var (page, errors, _) = await Chromium.OpenAsync(browser, await site.PageOfAsync("C-1"));
        var png = site.Harness.Folder.File("recipient-page.png");
        await page.ScreenshotAsync(png, new ScreenshotOptions { FullPage = true });

        Assert.That(await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"), Is.EqualTo("A short video for Name1 at Company 1, Inc."));
        Assert.That(await page.EvaluateExpressionAsync<string>("document.getElementById('cta').textContent"), Is.EqualTo("Book a call, Name1"));
        Assert.That(await page.EvaluateExpressionAsync<string>("document.getElementById('cta').href"), Is.EqualTo("https://example.com/book?who=c-1"));
        Assert.That(new FileInfo(png).Length, Is.GreaterThan(1000));
        Assert.That(File.ReadAllBytes(png).AsSpan(1, 3).ToArray(), Is.EqualTo("PNG"u8.ToArray()));
        Assert.That(errors, Is.Empty);
        TestContext.AddTestAttachment(png, "a recipient's page");
    }
}
