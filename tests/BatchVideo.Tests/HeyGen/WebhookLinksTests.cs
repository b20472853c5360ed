using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BatchVideo.Tests.HeyGen;

/// <summary>
/// Links under webhooks as HeyGen documents them (<c>video_id</c>, <c>url</c>, <c>callback_id</c>, no page link):
/// nothing stored is erased, and a link-less success is followed by one GET.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class WebhookLinksTests
{
    private const string Secret = "whsec_links_secret";

    private TempFolder folder = null!;
    private LedgerStore ledger = null!;
    private IOptions<HeyGenOptions> options = null!;

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", TimeProvider.System);
        await ledger.MigrateAsync(CancellationToken.None);
        options = Options.Create(new HeyGenOptions { ApiKey = "k", WebhookSecret = Secret });
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    [Test]
    public async Task A_late_webhook_after_a_poll_leaves_the_stored_links_intact()
    {
        await SubmitAsync("vid-1");
        var polled = new VideoLinks("https://files.example/vid-1.mp4?expires=1800000000", "https://app.heygen.com/video/vid-1", "https://files.example/vid-1.jpg", 1_800_000_000_000)
        {
            GifUrl = "https://files.example/vid-1.gif",
            SubtitleUrl = "https://files.example/vid-1.srt",
            Duration = 12.5,
        };
        await ledger.MarkCompletedAsync("welcome", "C-1", polled, CancellationToken.None);
        var processor = new WebhookProcessor(new WebhookVerifier(options, TimeProvider.System), ledger, options, TimeProvider.System, NullLogger<WebhookProcessor>.Instance);
        var body = Documented("vid-1", "https://files.example/vid-1.mp4?expires=1900000000");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        var entry = (await ledger.GetAsync("welcome", "C-1", CancellationToken.None))!;
        Assert.That(result.StatusCode, Is.EqualTo(200));
        Assert.That(entry.VideoPageUrl, Is.EqualTo("https://app.heygen.com/video/vid-1"), "a delivery without a page link keeps the stored one");
        Assert.That((entry.ThumbnailUrl, entry.GifUrl, entry.SubtitleUrl, entry.DurationSeconds), Is.EqualTo(("https://files.example/vid-1.jpg", "https://files.example/vid-1.gif", "https://files.example/vid-1.srt", (double?)12.5)));
        Assert.That(entry.VideoUrl, Does.EndWith("1900000000"), "the newer signed link is taken");
        Assert.That(entry.LinkExpiresAt, Is.EqualTo(1_900_000_000_000L));
    }

    [Test]
    public async Task A_success_without_a_page_link_is_followed_by_one_GET()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero });
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", "k");
        var heyGen = new HeyGenClient(http);
        var created = await heyGen.CreateVideoAsync(new CreateVideoRequest { AvatarId = "sandbox_avatar_anna", VoiceId = "sandbox_voice_en_warm", Script = "Hello there." }, "k-1", CancellationToken.None);
        await SubmitAsync(created.VideoId);
        var processor = new WebhookProcessor(new WebhookVerifier(options, TimeProvider.System), ledger, options, TimeProvider.System, NullLogger<WebhookProcessor>.Instance, heyGen);
        var body = Documented(created.VideoId, "https://files.example/x.mp4");
        var before = sandbox.Stats.StatusRequests;

        await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        var entry = (await ledger.GetAsync("welcome", "C-1", CancellationToken.None))!;
        Assert.That(entry.State, Is.EqualTo(LedgerState.Completed));
        Assert.That(entry.VideoPageUrl, Is.EqualTo($"{sandbox.BaseAddress}video/{created.VideoId}"));
        Assert.That((entry.ThumbnailUrl, entry.GifUrl), Is.Not.EqualTo(((string?)null, (string?)null)));
        Assert.That(entry.DurationSeconds, Is.GreaterThan(0));
        Assert.That(sandbox.Stats.StatusRequests - before, Is.EqualTo(1));
    }

    private async Task SubmitAsync(string videoId)
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", videoId, "waiting", CancellationToken.None);
    }

    /// <summary>The only documented success payload: video_id, url, callback_id.</summary>
    private static byte[] Documented(string videoId, string url) => Encoding.UTF8.GetBytes(
        $$$"""{"event_type":"avatar_video.success","event_data":{"video_id":"{{{videoId}}}","url":"{{{url}}}","callback_id":null}}""");

    private static Dictionary<string, string> Headers(byte[] body) => new()
    {
        ["Heygen-Signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)),
        ["Heygen-Timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["Heygen-Event-Id"] = "evt_" + Guid.NewGuid().ToString("N"),
    };
}
