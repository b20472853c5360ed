using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using BatchVideo.Pages;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Pages;

/// <summary>Recipient pages as a script-less client (curl, an unfurler, a mail scanner) and a flood of beacons meet them.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class RecipientPageHttpTests
{
    [GeneratedRegex("<video id=\"video\"[^>]* src=\"([^\"]+)\"")]
    private static partial Regex VideoSource();

    [Test]
    public async Task A_plain_fetch_of_a_page_records_nothing_and_made_up_or_revoked_tokens_are_a_plain_404()
    {
        await using var site = await PageSite.StartAsync();
        using var http = new HttpClient { BaseAddress = site.Address };
        var page = await site.PageOfAsync("C-1");
        await site.Ledger.RevokePageAsync("welcome", "C-3", CancellationToken.None);

        using var fetched = await http.GetAsync(page);
        var html = await fetched.Content.ReadAsStringAsync();
        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var made in new[] { PageLinks.Url(site.Address, PageTokens.New()), await site.PageOfAsync("C-3"), new Uri(site.Address, "v/short"), new Uri(site.Address, "v/" + PageTokens.New() + "/video") })
        {
            using var answer = await http.GetAsync(made);
            answers.Add((answer.StatusCode, await answer.Content.ReadAsStringAsync()));
        }

        Assert.That(fetched.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<video").And.Contain("noindex").And.Contain("og:image").And.Contain(page.AbsoluteUri));
        Assert.That(fetched.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(fetched.Headers.Contains("Set-Cookie"), Is.False);
        Assert.That(string.Join(";", fetched.Headers.GetValues("Content-Security-Policy")), Does.Contain("default-src 'none'").And.Contain("script-src 'sha256-").And.Not.Contain("unsafe"));
        Assert.That((await site.Ledger.ReadEngagementAsync("welcome", CancellationToken.None)).Values.Select(e => e.Views), Is.All.Zero, "no script ran: no view");
        Assert.That(answers, Is.All.EqualTo((HttpStatusCode.NotFound, "Not found.")));
    }

    [Test]
    public async Task A_beacon_flood_is_cut_at_the_pages_limit_and_stores_no_more_than_counters()
    {
        await using var site = await PageSite.StartAsync();
        using var http = new HttpClient { BaseAddress = site.Address };
        var page = await site.PageOfAsync("C-2");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 300).Select(async _ =>
        {
            using var answer = await http.PostAsync(page, new StringContent("""{"kind":"opened"}""", Encoding.UTF8, "application/json"));
            return answer.StatusCode;
        }));
        using var other = await http.PostAsync(await site.PageOfAsync("C-1"), new StringContent("""{"kind":"opened"}""", Encoding.UTF8, "application/json"));
        var engagement = await site.Ledger.ReadEngagementAsync("welcome", CancellationToken.None);

        var accepted = statuses.Count(s => s == HttpStatusCode.NoContent);
        Assert.That(accepted, Is.InRange(1, PageSite.BeaconsPerMinute), "the window may be entered twice at most once in a test this short");
        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(300 - accepted));
        Assert.That(engagement["C-2"].Views, Is.EqualTo(accepted));
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "another page is not held back by the flood");
        Assert.That(engagement, Has.Count.EqualTo(3), "one row per recipient, whatever the beacons");
    }

    [Test]
    public async Task Beacons_that_are_not_page_events_or_come_from_another_site_are_refused()
    {
        await using var site = await PageSite.StartAsync(rows: 1);
        using var http = new HttpClient { BaseAddress = site.Address };
        var page = await site.PageOfAsync("C-1");

        var bad = new List<HttpStatusCode>();
        foreach (var body in new[] { """{"kind":"progress","percent":33}""", """{"kind":"download"}""", "not json", new string('x', 1000) })
        {
            using var answer = await http.PostAsync(page, new StringContent(body, Encoding.UTF8, "application/json"));
            bad.Add(answer.StatusCode);
        }

        using var form = await http.PostAsync(page, new StringContent("kind=opened", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, page) { Content = new StringContent("""{"kind":"opened"}""", Encoding.UTF8, "application/json") };
        crossSite.Headers.Add("Origin", "https://evil.example");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await http.SendAsync(crossSite);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, page);
        rebound.Headers.Host = $"rebind.evil.example:{site.Address.Port}";
        using var foreignHost = await http.SendAsync(rebound);

        Assert.That(bad, Is.All.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(foreignHost.StatusCode, Is.EqualTo(HttpStatusCode.MisdirectedRequest));
        Assert.That((await site.EngagementOfAsync("C-1")).Views, Is.Zero);
    }

    [Test]
    public async Task A_page_keeps_playing_after_its_stored_signed_link_expired()
    {
        // The sandbox signs links for 3 seconds; every page then needs a fresh one (Pages:MinLinkLife is at least a minute).
        await using var site = await PageSite.StartAsync(rows: 1, sandbox: new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), SignedUrlLifetime = TimeSpan.FromSeconds(3) });
        using var http = new HttpClient { BaseAddress = site.Address };
        var stored = (await site.Ledger.GetAsync("welcome", "C-1", CancellationToken.None))!.VideoUrl!;
        await Eventually.HappensAsync(
            async () => (await http.GetAsync(new Uri(stored))).StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(15), () => "the sandbox's link did not expire");

        var html = await http.GetStringAsync(await site.PageOfAsync("C-1"));
        var shown = WebUtility.HtmlDecode(VideoSource().Match(html).Groups[1].Value);
        using var video = await http.GetAsync(new Uri(shown));
        var renewed = (await site.Ledger.GetAsync("welcome", "C-1", CancellationToken.None))!;

        Assert.That(shown, Is.Not.Empty.And.Not.EqualTo(stored));
        Assert.That(video.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page's video plays");
        Assert.That(video.Content.Headers.ContentType?.MediaType, Is.EqualTo("video/mp4"));
        Assert.That(renewed.VideoUrl, Is.EqualTo(shown), "the fresh link is in the ledger for every node");
    }

    [Test]
    public async Task A_downloading_campaign_plays_its_own_stored_copy_served_by_serve()
    {
        await using var site = await PageSite.StartAsync(rows: 1, configure: c =>
        {
            c["Campaigns"]!["welcome"]!["UrlField"] = "download";
            c["Storage"] = new System.Text.Json.Nodes.JsonObject { ["Folder"] = "videos" };
        });
        using var http = new HttpClient { BaseAddress = site.Address };
        var entry = (await site.Ledger.GetAsync("welcome", "C-1", CancellationToken.None))!;
        var page = await site.PageOfAsync("C-1");

        var html = await http.GetStringAsync(page);
        var shown = WebUtility.HtmlDecode(VideoSource().Match(html).Groups[1].Value);
        using var video = await http.GetAsync(new Uri(site.Address, shown));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, new Uri(site.Address, shown));
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 99);
        using var part = await http.SendAsync(ranged);

        Assert.That(shown, Is.EqualTo(page.AbsolutePath + "/video"), "the stored copy, not HeyGen's link");
        Assert.That(html, Does.Not.Contain(site.Harness.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority)));
        Assert.That(video.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await video.Content.ReadAsByteArrayAsync(), Is.EqualTo(await File.ReadAllBytesAsync(entry.LocalPath!)));
        Assert.That((part.StatusCode, part.Content.Headers.ContentLength), Is.EqualTo((HttpStatusCode.PartialContent, (long?)100)));
    }

    [Test]
    public async Task Any_serve_node_on_the_ledger_serves_any_page_and_counts_on_the_same_row()
    {
        await using var site = await PageSite.StartAsync(rows: 2);
        await using var second = await ServeNode.StartAsync(site.Harness);
        using var first = new HttpClient { BaseAddress = site.Address };
        using var other = new HttpClient { BaseAddress = second.Address };
        var token = await site.TokenOfAsync("C-2");

        using var fromFirst = await first.GetAsync(PageLinks.Url(site.Address, token));
        using var fromSecond = await other.GetAsync(PageLinks.Url(second.Address, token));
        var opened = new List<HttpStatusCode>();
        foreach (var node in new[] { first, other, other })
        {
            using var beacon = await node.PostAsync(new Uri(node.BaseAddress!, "v/" + token), new StringContent("""{"kind":"opened"}""", Encoding.UTF8, "application/json"));
            opened.Add(beacon.StatusCode);
        }

        var engagement = await site.EngagementOfAsync("C-2");
        Assert.That((fromFirst.StatusCode, fromSecond.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(opened, Is.All.EqualTo(HttpStatusCode.NoContent));
        Assert.That(engagement.Views, Is.EqualTo(3));
        Assert.That(engagement.FirstViewedAt, Is.Not.Null);
    }
}
