using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using PuppeteerSharp;

namespace BatchVideo.Tests.Cli;

/// <summary>
/// The README's recipient-page step, with its commands as printed, in a copy of the checkout: the sample's
/// <c>welcome-pages</c> campaign run against the sandbox, <c>serve --sandbox</c> publishing its pages, one page
/// opened in headless Chromium (the README's screenshot), then the same run again: nothing sent, and the view
/// back in that row alone.
/// </summary>
[TestFixture]
[Category("Integration")]
[Category("Browser")]
public sealed partial class ReadmePagesWalkthroughTests
{
    private const string ScreenshotVariable = "BATCHVIDEO_UPDATE_SCREENSHOTS";
    private const string Campaign = "welcome-pages";
    private const string Results = "sample-data/contacts.pages.sandbox.csv";

    /// <summary>The port the sandbox account's links name (<c>batchvideo sandbox</c>'s default).</summary>
    private const int SandboxPort = 5080;

    /// <summary>The sample's <c>Pages:PublicBaseUrl</c>, where the README's <c>serve</c> listens.</summary>
    private static readonly Uri Published = new("http://127.0.0.1:5081/");

    private static readonly string[] PagesRun = ["run", "--csv", "sample-data/contacts.csv", "--campaign", Campaign, "--sandbox", "--out", Results];
    private static readonly string[] Serve = ["serve", "--sandbox", "--urls", "http://127.0.0.1:5081"];
    private static readonly string[] VideoColumns = ["video_id", "video_status", "video_url", "page", "views", "first_viewed_at", "watched_percent"];

    [Test]
    public async Task Readme_page_step_serves_a_page_that_plays_counts_its_view_and_the_next_run_writes_it_into_that_row_only()
    {
        var readme = File.ReadAllText(Repository.File("README.md"));
        await using var harness = await PipelineHarness.StartAsync();
        Checkout.CopyTo(harness.Folder.Path);
        // The sandbox's pace only (its own section): the sample's 2-second renders would just slow the test.
        harness.Environment["Sandbox__RenderTime"] = "00:00:00.1";
        harness.Environment["Sandbox__RenderTimePerVideoSecond"] = "00:00:00";
        ReadmeCommandsTests.Git(harness.Folder.Path, "init", "-q");
        ReadmeCommandsTests.Git(harness.Folder.Path, "add", "-A");
        var before = ReadmeCommandsTests.Git(harness.Folder.Path, "status", "--porcelain", "--untracked-files=all");
        var export = File.ReadAllBytes(harness.Folder.File("sample-data/contacts.csv"));
        using var shots = new TempFolder();
        var screenshot = Environment.GetEnvironmentVariable(ScreenshotVariable) == "1" ? Repository.File("docs", "recipient-page.png") : shots.File("recipient-page.png");
        // The account's links name port 5080 and the pages 5081: another test on this machine may hold one for a moment.
        await WaitForFreePortsAsync(SandboxPort, Published.Port);
        var clock = Stopwatch.StartNew();

        var first = await harness.RunCliAsync(PagesRun);
        Assert.That(first.ExitCode, Is.Zero, first.Output + first.Error);
        var rows = CsvBytes.AssertOnlyVideoCellsChanged(export, File.ReadAllBytes(harness.Folder.File(Results)), ',', videoColumns: VideoColumns).Skip(1).Select(r => r!).ToList();
        var visit = await OpenOnePageWhileServingAsync(harness, new Uri(rows[0][3]), screenshot);

        var again = await harness.RunCliAsync(PagesRun);
        var took = clock.Elapsed;
        var final = CsvBytes.AssertOnlyVideoCellsChanged(export, File.ReadAllBytes(harness.Folder.File(Results)), ',', videoColumns: VideoColumns).Skip(1).Select(r => r!).ToList();

        Assert.That(readme, Does.Contain(Printed(PagesRun)).And.Contain(Printed(Serve)), "the commands this test runs are the README's");
        Assert.That(readme, Does.Contain("](docs/recipient-page.png)").And.Contain("](docs/operating.md#recipient-pages)"));
        Assert.That(rows, Has.Count.EqualTo(23));
        Assert.That(first.Output, Does.Contain("serve --sandbox --urls http://127.0.0.1:5081\n"), "the run's summary names the serve that opens its pages");
        Assert.That(rows.Select(r => r[3]), Has.All.StartWith(Published.AbsoluteUri + "v/"), "every row has its page, at the sample's public address");
        Assert.That(visit.PageStatus, Is.EqualTo(HttpStatusCode.OK), visit.Html);
        Assert.That(VideoSource().IsMatch(visit.Html), Is.True, "the page has a <video> with a source: " + visit.Html);
        Assert.That((visit.VideoStatus, visit.VideoBytes > 1000), Is.EqualTo((HttpStatusCode.OK, true)), "the page's video answers with its bytes while serve runs");
        Assert.That(visit.Errors, Is.Empty, "console errors");
        Assert.That(visit.Views, Is.EqualTo(1), "the browser's open is the one view: the plain fetch above ran no script");
        Assert.That((visit.Heading, visit.CtaHref), Is.EqualTo(("A video for Amélie", "https://example.com/book?with=sofia")), "the sample's heading and button, rendered from the row");
        Assert.That(new FileInfo(screenshot).Length, Is.GreaterThan(10_000), "a screenshot was made");
        Assert.That(visit.Stopped, Is.True, "serve stops on SIGTERM with exit 0:\n" + visit.ServeLog);
        Assert.That(visit.ServeLog, Does.Not.Contain("error"), "serve over the sample configuration logs no error (crm-nightly's table is not made yet, and is not opened)");
        Assert.That(again.ExitCode, Is.Zero, again.Output + again.Error);
        Assert.That(again.Output, Does.Match(@"already done\s+23").And.Match(@"submitted\s+0\n"), "the run again sends nothing");
        Assert.That(Journal(harness), Has.Count.EqualTo(23), "each row's video made once, across both runs and serve");
        Assert.That(final.Select(r => r[3]), Is.EqualTo(rows.Select(r => r[3])), "a page's address never changes");
        Assert.That((final[0][4], final[0][5].Length > 0), Is.EqualTo(("1", true)), "the opened row: one view and its first view's time");
        Assert.That(final.Skip(1).Select(r => (r[4], r[5])), Has.All.EqualTo(("0", "")), "no other row was viewed");
        Assert.That(ReadmeCommandsTests.Git(harness.Folder.Path, "status", "--porcelain", "--untracked-files=all"), Is.EqualTo(before), "no committed file changed, every new file ignored");
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(60)), "both runs, serve and the browser");
    }

    /// <summary>
    /// The README's <c>serve</c>, and a recipient at <paramref name="pageUrl"/>: a plain fetch of the page and its video,
    /// then the page in Chromium until its view is in the ledger (screenshot to <paramref name="screenshot"/>); then SIGTERM.
    /// </summary>
    private static async Task<Visit> OpenOnePageWhileServingAsync(PipelineHarness harness, Uri pageUrl, string screenshot)
    {
        await using var serve = await ServeNode.StartCommandAsync(harness, Published, Serve);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var answer = await http.GetAsync(pageUrl);
        var html = await answer.Content.ReadAsStringAsync();
        var source = VideoSource().Match(html) is { Success: true } found ? WebUtility.HtmlDecode(found.Groups["src"].Value) : "http://127.0.0.1:9/no-video-element";
        using var media = await http.GetAsync(new Uri(source));
        var video = await media.Content.ReadAsByteArrayAsync();

        await using var browser = await Chromium.LaunchAsync();
        var (page, errors) = await Chromium.OpenAsync(browser, pageUrl.AbsoluteUri);
        var ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={harness.Folder.File("batchvideo-sandbox-ledger.db")}", TimeProvider.System);
        await Eventually.HappensAsync(async () => (await ledger.ReadEngagementAsync(Campaign, CancellationToken.None))["C-1001"].Views >= 1, TimeSpan.FromSeconds(15), () => serve.Log);
        var views = (await ledger.ReadEngagementAsync(Campaign, CancellationToken.None)).Values.Sum(e => e.Views);
        var heading = await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent");
        var ctaHref = await page.EvaluateExpressionAsync<string>("document.getElementById('cta').href");
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = false });
        List<string> seen;
        lock (errors)
        {
            seen = [.. errors];
        }

        serve.Terminate(); // SIGTERM, as Ctrl+C in the README
        var stopped = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)) && serve.ExitCode == 0;
        return new Visit(answer.StatusCode, html, media.StatusCode, video.Length, seen, views, heading, ctaHref, stopped, serve.Log);
    }

    /// <summary>A command as the README prints it, through <c>dotnet run</c>.</summary>
    private static string Printed(string[] args) => "dotnet run --project src/BatchVideo.Cli -- " + string.Join(' ', args) + "\n";

    /// <summary>The videos the account remembers, read from its journal once no process serves it.</summary>
    private static List<BatchVideo.Sandbox.SandboxVideo> Journal(PipelineHarness harness)
    {
        using var journal = BatchVideo.Sandbox.State.SandboxJournal.Open(harness.Folder.File("batchvideo-sandbox-account.jsonl"));
        return [.. journal.Videos];
    }

    private static async Task WaitForFreePortsAsync(params int[] ports)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ports.FirstOrDefault(Taken) is var busy && busy != 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"port {busy} on 127.0.0.1 stayed in use for a minute; the README's commands need it");
            }

            await Task.Delay(250);
        }
    }

    private static bool Taken(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    [GeneratedRegex("""<video\b[^>]*\ssrc="(?<src>[^"]+)""")]
    private static partial Regex VideoSource();

    /// <summary>What the recipient's visit showed, and how serve ended.</summary>
    private sealed record Visit(
        HttpStatusCode PageStatus,
        string Html,
        HttpStatusCode VideoStatus,
        int VideoBytes,
        List<string> Errors,
        int Views,
        string Heading,
        string CtaHref,
        bool Stopped,
        string ServeLog);
}
