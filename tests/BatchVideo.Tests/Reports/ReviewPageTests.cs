using System.Text.Json.Nodes;
using BatchVideo.Tests.Support;
using PuppeteerSharp;

namespace BatchVideo.Tests.Reports;

/// <summary>The review page of a real run, opened in a real headless Chromium.</summary>
[TestFixture]
[Category("Integration")]
[Category("Browser")]
public sealed class ReviewPageTests
{
    private const string ScreenshotVariable = "BATCHVIDEO_UPDATE_SCREENSHOTS";

    private const string HostileScript = "<script>window.pwned=1</script>";
    private const string HostileImage = "<img src=x onerror=\"window.pwned=2\">";

    [Test]
    public async Task Page_shows_every_row_filters_by_status_and_escapes_hostile_names()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.Folder.Write("contacts.csv", $"""
            id,first_name,company
            C-1,Ann,Acme
            C-2,"{HostileScript.Replace("\"", "\"\"", StringComparison.Ordinal)}",Acme
            C-3,"{HostileImage.Replace("\"", "\"\"", StringComparison.Ordinal)}",Acme
            "K""><svg onload=window.pwned=3>",Kay,Acme
            C-4,SANDBOX_FAIL_RENDER,Acme
            C-5,,Acme
            C-1,Dup,Acme

            """);
        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));
        await using var browser = await Chromium.LaunchAsync();

        var (page, errors) = await Chromium.OpenAsync(browser, summary.ReviewPagePath!);
        var ready = await page.EvaluateExpressionAsync<string>("document.body.dataset.ready");
        var all = await VisibleAsync(page);
        await page.SelectAsync("#status", "rejected");
        var rejected = await VisibleAsync(page);
        await page.SelectAsync("#status", "failed");
        var failed = await VisibleAsync(page);
        await page.SelectAsync("#status", "");
        await page.TypeAsync("#search", "ann");
        var searched = await VisibleAsync(page);
        var names = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#rows tr')).map(r => r.dataset.name)");
        var pwned = await page.EvaluateExpressionAsync<string>("typeof window.pwned");
        var handlers = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('[onerror],[onload]').length");
        var scripts = await page.EvaluateExpressionAsync<int>("document.scripts.length");
        var html = await File.ReadAllTextAsync(summary.ReviewPagePath!);

        Assert.That(errors, Is.Empty, "console errors");
        Assert.That(ready, Is.EqualTo("true"), "the page's script ran to its end");
        Assert.That(summary.Read, Is.EqualTo(7));
        Assert.That(all, Has.Length.EqualTo(7), "every row shown");
        Assert.That(rejected, Is.EquivalentTo(new[] { "C-5", "C-1" }), "the empty first name and the duplicate");
        Assert.That(failed, Is.EqualTo(new[] { "C-4" }));
        Assert.That(searched, Is.EqualTo(new[] { "C-1" }), "search by name, case-insensitive");
        Assert.That(names, Does.Contain(HostileScript).And.Contain(HostileImage), "hostile names shown as text");
        Assert.That(all, Does.Contain("K\"><svg onload=window.pwned=3>"), "a hostile key shown as text");
        Assert.That((pwned, handlers, scripts), Is.EqualTo(("undefined", 0, 1)), "no CRM value became markup or code");
        Assert.That(html, Does.Not.Contain("<link").And.Not.Contain("<script src").And.Not.Contain("@import"), "self-contained");
        Assert.That(html, Does.Contain("render failed").And.Contain("--retry-failed"), "a failure's reason and what to do");
    }

    [Test]
    public async Task Sample_review_page_plays_videos_and_makes_the_readme_screenshot()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c =>
        {
            c["Campaigns"]!["welcome"]!["Template"] = Repository.File("templates", "welcome.sbn");
            c["Campaigns"]!["welcome"]!["OptionalColumns"] = new JsonArray("company");
        });
        File.Copy(Repository.File("sample-data", "contacts-with-problems.csv"), harness.Folder.File("contacts.csv"));
        var summary = await harness.RunAsync(harness.Folder.File("contacts.csv"));
        await using var browser = await Chromium.LaunchAsync();

        var (page, errors) = await Chromium.OpenAsync(browser, summary.ReviewPagePath!);
        var players = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#rows video[src$=\".mp4\"], #rows video[src*=\".mp4?\"]').length");
        var shots = Environment.GetEnvironmentVariable(ScreenshotVariable) == "1" ? Repository.File("docs", "review-page.png") : harness.Folder.File("review-page.png");
        await page.ScreenshotAsync(shots, new ScreenshotOptions { FullPage = false });

        Assert.That(errors, Is.Empty, "console errors");
        Assert.That(await VisibleAsync(page), Has.Length.EqualTo(25));
        Assert.That(players, Is.EqualTo(23), "an inline player for every completed video");
        Assert.That(new FileInfo(shots).Length, Is.GreaterThan(10_000), "a screenshot was made");
    }

    private static Task<string[]> VisibleAsync(IPage page) =>
        page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('#rows tr:not([hidden])')).map(r => r.dataset.key)");
}
