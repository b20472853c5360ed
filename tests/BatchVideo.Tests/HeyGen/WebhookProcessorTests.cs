using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchVideo.HeyGen;
using BatchVideo.HeyGen.Webhooks;
using BatchVideo.Ledger;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.HeyGen;

/// <summary>The webhook receiver against a real SQLite ledger: what is accepted, what is refused, what is applied.</summary>
[TestFixture]
public sealed class WebhookProcessorTests
{
    private const string Secret = "whsec_test_secret_123";

    private TempFolder folder = null!;
    private FakeTimeProvider time = null!;
    private LedgerStore ledger = null!;
    private WebhookProcessor processor = null!;

    [SetUp]
    public async Task SetUp()
    {
        folder = new TempFolder();
        time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T10:00:00Z", CultureInfo.InvariantCulture));
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", time);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", "vid-1", "waiting", CancellationToken.None);
        var options = Options.Create(new HeyGenOptions { ApiKey = "k", WebhookSecret = Secret });
        processor = new WebhookProcessor(new WebhookVerifier(options, time), ledger, options, time, NullLogger<WebhookProcessor>.Instance);
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private static byte[] Success(string videoId) => Encoding.UTF8.GetBytes(
        $$$"""{"event_type":"avatar_video.success","event_data":{"video_id":"{{{videoId}}}","url":"https://files.example/{{{videoId}}}.mp4?expires=1800000000","video_page_url":"https://app.heygen.com/video/{{{videoId}}}","callback_id":null}}""");

    private static byte[] Fail(string videoId) => Encoding.UTF8.GetBytes(
        $$$"""{"event_type":"avatar_video.fail","event_data":{"video_id":"{{{videoId}}}","msg":"Avatar rendering timed out","failure_code":"rendering_failed"}}""");

    private Dictionary<string, string> Headers(byte[] body, string eventId = "evt_1", string secret = Secret, DateTimeOffset? sentAt = null) => new()
    {
        ["Heygen-Signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)),
        ["Heygen-Timestamp"] = (sentAt ?? time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["Heygen-Event-Id"] = eventId,
    };

    private Task<LedgerEntry?> EntryAsync() => ledger.GetAsync("welcome", "C-1", CancellationToken.None);

    [Test]
    public async Task Signed_success_completes_the_entry_with_both_links()
    {
        var body = Success("vid-1");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        var entry = await EntryAsync();
        Assert.That((result.StatusCode, result.Outcome), Is.EqualTo((200, WebhookOutcome.Applied)));
        Assert.That(entry!.State, Is.EqualTo(LedgerState.Completed));
        Assert.That(entry.VideoPageUrl, Is.EqualTo("https://app.heygen.com/video/vid-1"));
        Assert.That(entry.VideoUrl, Does.StartWith("https://files.example/vid-1.mp4"));
        Assert.That(entry.LinkExpiresAt, Is.EqualTo(1_800_000_000_000L), "read from the link's expires parameter");
    }

    [Test]
    public async Task Signed_fail_fails_the_entry_with_the_failure_code()
    {
        var body = Fail("vid-1");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        var entry = await EntryAsync();
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.State, entry.ErrorCode, entry.ErrorMessage), Is.EqualTo((LedgerState.Failed, "rendering_failed", "Avatar rendering timed out")));
    }

    [TestCase("video_agent.success", LedgerState.Completed)]
    [TestCase("video_agent.fail", LedgerState.Failed)]
    public async Task Video_agent_events_are_applied_like_avatar_video_events(string eventType, string state)
    {
        // The payload of video_agent.* is undocumented; read as the avatar_video.* one (docs/heygen-contract.md).
        var body = Encoding.UTF8.GetBytes(
            $$$"""{"event_type":"{{{eventType}}}","event_data":{"video_id":"vid-1","url":"https://files.example/vid-1.mp4?expires=1800000000","video_page_url":"https://app.heygen.com/video/vid-1","msg":"Agent render failed","callback_id":"m1"}}""");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((await EntryAsync())!.State, Is.EqualTo(state));
    }

    [Test]
    public async Task Forged_signature_is_refused_and_changes_nothing()
    {
        var body = Success("vid-1");

        var result = await processor.HandleAsync(body, Headers(body, secret: "whsec_guessed"), CancellationToken.None);

        Assert.That((result.StatusCode, result.Outcome), Is.EqualTo((401, WebhookOutcome.Rejected)));
        Assert.That((await EntryAsync())!.State, Is.EqualTo(LedgerState.Submitted));
        Assert.That(await ledger.HasWebhookEventAsync("evt_1", CancellationToken.None), Is.False);
    }

    [Test]
    public async Task Body_changed_after_signing_is_refused()
    {
        var body = Success("vid-1");
        var headers = Headers(body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("files.example", "evil.example", StringComparison.Ordinal));

        var result = await processor.HandleAsync(tampered, headers, CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(401));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-hex")]
    [TestCase("00")]
    public async Task Missing_or_malformed_signature_is_refused(string? signature)
    {
        var body = Success("vid-1");
        var headers = Headers(body);
        if (signature is null)
        {
            headers.Remove("Heygen-Signature");
        }
        else
        {
            headers["Heygen-Signature"] = signature;
        }

        var result = await processor.HandleAsync(body, headers, CancellationToken.None);

        Assert.That((result.StatusCode, result.Outcome), Is.EqualTo((401, WebhookOutcome.Rejected)));
    }

    [Test]
    public async Task Replayed_event_id_is_a_duplicate_and_applied_once()
    {
        var body = Success("vid-1");
        var first = await processor.HandleAsync(body, Headers(body), CancellationToken.None);
        var completedAt = (await EntryAsync())!.UpdatedAt;
        time.Advance(TimeSpan.FromMinutes(1));

        var replay = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That((first.Outcome, replay.Outcome, replay.StatusCode), Is.EqualTo((WebhookOutcome.Applied, WebhookOutcome.Duplicate, 200)));
        Assert.That((await EntryAsync())!.UpdatedAt, Is.EqualTo(completedAt), "the replay wrote nothing");
    }

    [Test]
    public async Task A_captured_success_replayed_with_a_new_event_id_and_a_fresh_timestamp_changes_nothing()
    {
        var body = Success("vid-1");
        await processor.HandleAsync(body, Headers(body, "evt_1"), CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        var renewed = new VideoLinks("https://files.example/vid-1.mp4?expires=1900000000", null, null, 1_900_000_000_000L);
        await ledger.RenewLinksAsync("welcome", "C-1", renewed, CancellationToken.None);
        var before = await EntryAsync();
        time.Advance(TimeSpan.FromMinutes(1));

        var replay = await processor.HandleAsync(body, Headers(body, "evt_forged_2"), CancellationToken.None);

        Assert.That((replay.StatusCode, replay.Outcome), Is.EqualTo((200, WebhookOutcome.Duplicate)));
        Assert.That(replay.Detail, Does.Contain("already applied"));
        Assert.That(await EntryAsync(), Is.EqualTo(before), "the renewed link stays; nothing is written");
    }

    [Test]
    public async Task A_captured_failure_replayed_with_a_new_event_id_changes_nothing()
    {
        var body = Fail("vid-1");
        await processor.HandleAsync(body, Headers(body, "evt_1"), CancellationToken.None);
        var before = await EntryAsync();
        time.Advance(TimeSpan.FromMinutes(1));

        var replay = await processor.HandleAsync(body, Headers(body, "evt_forged_2"), CancellationToken.None);

        Assert.That(replay.Outcome, Is.EqualTo(WebhookOutcome.Duplicate));
        Assert.That(await EntryAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_success_after_the_poller_completed_the_video_only_fills_the_links_it_lacks()
    {
        await ledger.MarkCompletedAsync("welcome", "C-1", new VideoLinks("https://files.example/polled.mp4", "https://app.heygen.com/video/vid-1", null, null), CancellationToken.None);
        var body = Encoding.UTF8.GetBytes(
            """{"event_type":"avatar_video.success","event_data":{"video_id":"vid-1","url":"https://files.example/delivered.mp4","video_share_page_url":"https://app.heygen.com/share/vid-1"}}""");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        var entry = await EntryAsync();
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.VideoUrl, entry.SharePageUrl), Is.EqualTo(("https://files.example/polled.mp4", "https://app.heygen.com/share/vid-1")));
    }

    [Test]
    public async Task An_event_about_a_video_submitted_longer_ago_than_the_bound_is_ignored()
    {
        time.Advance(new HeyGenOptions().WebhookMaxVideoAge + TimeSpan.FromMinutes(1));
        var body = Success("vid-1");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That((result.StatusCode, result.Outcome), Is.EqualTo((200, WebhookOutcome.Ignored)));
        Assert.That(result.Detail, Does.Contain("HeyGen:WebhookMaxVideoAge"));
        Assert.That((await EntryAsync())!.State, Is.EqualTo(LedgerState.Submitted), "polling records it");
    }

    [Test]
    public async Task Stale_timestamp_is_refused()
    {
        var body = Success("vid-1");

        var result = await processor.HandleAsync(body, Headers(body, sentAt: time.GetUtcNow() - TimeSpan.FromMinutes(6)), CancellationToken.None);

        Assert.That((result.StatusCode, result.Detail), Is.EqualTo((401, "the delivery is stale (sent 360 s ago; tolerance 300 s)")));
        Assert.That((await EntryAsync())!.State, Is.EqualTo(LedgerState.Submitted));
    }

    [Test]
    public async Task Timestamp_from_the_future_is_refused_and_one_within_tolerance_accepted()
    {
        var body = Success("vid-1");

        var future = await processor.HandleAsync(body, Headers(body, sentAt: time.GetUtcNow() + TimeSpan.FromMinutes(6)), CancellationToken.None);
        var skewed = await processor.HandleAsync(body, Headers(body, sentAt: time.GetUtcNow() + TimeSpan.FromMinutes(4)), CancellationToken.None);

        Assert.That(future.Detail, Does.Contain("future"));
        Assert.That(skewed.Outcome, Is.EqualTo(WebhookOutcome.Applied));
    }

    [Test]
    public async Task Oversized_body_is_refused_before_anything_else()
    {
        var body = new byte[65 * 1024];

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That(result.StatusCode, Is.EqualTo(413));
    }

    [Test]
    public async Task Event_about_a_video_we_do_not_hold_is_acknowledged_and_ignored()
    {
        var body = Success("someone-elses-video");

        var result = await processor.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That((result.StatusCode, result.Outcome), Is.EqualTo((200, WebhookOutcome.Ignored)));
    }

    [Test]
    public async Task A_late_failure_never_undoes_a_completion()
    {
        var success = Success("vid-1");
        var fail = Fail("vid-1");
        await processor.HandleAsync(success, Headers(success, "evt_1"), CancellationToken.None);

        var late = await processor.HandleAsync(fail, Headers(fail, "evt_2"), CancellationToken.None);

        Assert.That(late.Outcome, Is.EqualTo(WebhookOutcome.Ignored));
        Assert.That((await EntryAsync())!.State, Is.EqualTo(LedgerState.Completed));
    }

    [Test]
    public async Task Without_a_configured_secret_every_delivery_is_refused()
    {
        var options = Options.Create(new HeyGenOptions { ApiKey = "k" });
        var unconfigured = new WebhookProcessor(new WebhookVerifier(options, time), ledger, options, time, NullLogger<WebhookProcessor>.Instance);
        var body = Success("vid-1");

        var result = await unconfigured.HandleAsync(body, Headers(body), CancellationToken.None);

        Assert.That((result.StatusCode, result.Detail), Is.EqualTo((500, "no webhook secret is configured (HeyGen__WebhookSecret)")));
    }

    /// <summary>An agent answer without a video: the session is the row's video in flight (C-2).</summary>
    private async Task RecordSessionWithoutVideoAsync()
    {
        await ledger.TryBeginSubmissionAsync("welcome", "C-2", "k2", "m2", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-2", AgentSessions.Ref("sess_1"), "thinking", CancellationToken.None);
        await ledger.RecordSessionAsync("welcome", "C-2", AgentSessions.Ref("sess_1"), "sess_1", CancellationToken.None);
    }

    [Test]
    public async Task An_agent_success_naming_the_session_completes_the_row_with_its_video()
    {
        await RecordSessionWithoutVideoAsync();
        var body = Encoding.UTF8.GetBytes("""{"event_type":"video_agent.success","event_data":{"session_id":"sess_1","video_id":"vid-9","url":"https://files.example/vid-9.mp4","callback_id":"m2"}}""");

        var result = await processor.HandleAsync(body, Headers(body, "evt_s1"), CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-2", CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.State, entry.VideoId), Is.EqualTo((LedgerState.Completed, "vid-9")));
    }

    [Test]
    public async Task An_agent_fail_naming_only_the_session_fails_that_row()
    {
        await RecordSessionWithoutVideoAsync();
        var body = Encoding.UTF8.GetBytes("""{"event_type":"video_agent.fail","event_data":{"session_id":"sess_1","msg":"the agent gave up","callback_id":"m2"}}""");

        var result = await processor.HandleAsync(body, Headers(body, "evt_s2"), CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-2", CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.State, entry.ErrorMessage), Is.EqualTo((LedgerState.Failed, "the agent gave up")));
    }
}
