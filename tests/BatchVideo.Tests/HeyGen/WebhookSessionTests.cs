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

/// <summary><c>video_agent.*</c> deliveries match a row by its Video Agent session as well as by its video.</summary>
[TestFixture]
public sealed class WebhookSessionTests
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
        time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T10:00:00Z", CultureInfo.InvariantCulture));
        ledger = new LedgerStore(new SqliteLedgerDialect(), $"Data Source={folder.File("ledger.db")}", time);
        await ledger.MigrateAsync(CancellationToken.None);
        // An agent answer without a video: the session is the row's video in flight.
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", "k1", "m1", CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", AgentSessions.Ref("sess_1"), "thinking", CancellationToken.None);
        await ledger.RecordSessionAsync("welcome", "C-1", AgentSessions.Ref("sess_1"), "sess_1", CancellationToken.None);
        var options = Options.Create(new HeyGenOptions { ApiKey = "k", WebhookSecret = Secret });
        processor = new WebhookProcessor(new WebhookVerifier(options, time), ledger, options, time, NullLogger<WebhookProcessor>.Instance);
    }

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private Dictionary<string, string> Headers(byte[] body, string eventId) => new()
    {
        ["Heygen-Signature"] = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)),
        ["Heygen-Timestamp"] = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        ["Heygen-Event-Id"] = eventId,
    };

    [Test]
    public async Task An_agent_success_naming_the_session_completes_the_row_with_its_video()
    {
        var body = Encoding.UTF8.GetBytes("""{"event_type":"video_agent.success","event_data":{"session_id":"sess_1","video_id":"vid-9","url":"https://files.example/vid-9.mp4","callback_id":"m1"}}""");

        var result = await processor.HandleAsync(body, Headers(body, "evt_1"), CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-1", CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.State, entry.VideoId), Is.EqualTo((LedgerState.Completed, "vid-9")));
    }

    [Test]
    public async Task An_agent_fail_naming_only_the_session_fails_that_row()
    {
        var body = Encoding.UTF8.GetBytes("""{"event_type":"video_agent.fail","event_data":{"session_id":"sess_1","msg":"the agent gave up","callback_id":"m1"}}""");

        var result = await processor.HandleAsync(body, Headers(body, "evt_2"), CancellationToken.None);

        var entry = await ledger.GetAsync("welcome", "C-1", CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(WebhookOutcome.Applied));
        Assert.That((entry!.State, entry.ErrorMessage), Is.EqualTo((LedgerState.Failed, "the agent gave up")));
    }
}
