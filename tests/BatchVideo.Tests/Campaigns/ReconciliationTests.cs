using System.Net.Http.Json;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Campaigns;

/// <summary>A create whose answer was lost: the next run must find the video instead of paying again.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ReconciliationTests
{
    private static async Task<string> CreateDirectlyAsync(PipelineHarness harness, string key, string idempotencyKey, string script = "Hi there")
    {
        using var http = new HttpClient { BaseAddress = harness.Sandbox.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/videos")
        {
            Content = JsonContent.Create(new
            {
                type = "avatar",
                avatar_id = "sandbox_avatar_anna",
                voice_id = "sandbox_voice_en_warm",
                script,
                title = RecipientIdentity.Title("Welcome", "welcome", RecipientIdentity.Marker("welcome", key)),
            }),
        };
        request.Headers.Add("x-api-key", "test-key");
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return harness.Sandbox.Videos[^1].Id;
    }

    private static async Task LoseTheAnswerAsync(PipelineHarness harness, string key, TimeSpan ago)
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - ago);
        var ledger = harness.Ledger(past);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", key, RecipientIdentity.IdempotencyKey("welcome", key, 1), RecipientIdentity.Marker("welcome", key), CancellationToken.None);
    }

    [Test]
    public async Task Within_the_idempotency_window_the_replay_returns_the_original_video()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var original = await CreateDirectlyAsync(harness, "C-1", RecipientIdentity.IdempotencyKey("welcome", "C-1", 1));
        await LoseTheAnswerAsync(harness, "C-1", TimeSpan.FromMinutes(5));
        var csv = harness.WriteCsv(2);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(2));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2));
        Assert.That(harness.Sandbox.Stats.IdempotentReplays, Is.EqualTo(1));
        Assert.That(File.ReadAllText(csv), Does.Contain(original));
    }

    [Test]
    public async Task After_the_window_the_video_is_found_by_its_title_marker()
    {
        // The sandbox forgets keys at once, as HeyGen does after 24 hours: a blind replay would pay twice.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), IdempotencyWindow = TimeSpan.FromMilliseconds(1) });
        var original = await CreateDirectlyAsync(harness, "C-1", RecipientIdentity.IdempotencyKey("welcome", "C-1", 1));
        await LoseTheAnswerAsync(harness, "C-1", TimeSpan.FromHours(25));
        var csv = harness.WriteCsv(2);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(2));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2), "C-1 adopted, only C-2 created");
        Assert.That(File.ReadAllText(csv), Does.Contain(original));
    }

    [Test]
    public async Task After_the_window_with_no_video_found_the_row_is_sent()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), IdempotencyWindow = TimeSpan.FromMilliseconds(1) });
        await LoseTheAnswerAsync(harness, "C-1", TimeSpan.FromHours(25));
        var csv = harness.WriteCsv(2);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(2));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2));
    }

    [Test]
    public async Task After_the_window_a_retried_row_does_not_adopt_its_earlier_failed_video()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, IdempotencyWindow = TimeSpan.FromMilliseconds(1) });
        var failed = await CreateDirectlyAsync(harness, "C-1", RecipientIdentity.IdempotencyKey("welcome", "C-1", 1), "SANDBOX_FAIL_RENDER");
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromHours(30));
        var ledger = harness.Ledger(past);
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", RecipientIdentity.IdempotencyKey("welcome", "C-1", 1), RecipientIdentity.Marker("welcome", "C-1"), CancellationToken.None);
        await ledger.MarkSubmittedAsync("welcome", "C-1", failed, "waiting", CancellationToken.None);
        await ledger.MarkFailedAsync("welcome", "C-1", "failed", "rendering_failed", "failed", CancellationToken.None);
        past.Advance(TimeSpan.FromHours(5));
        // --retry-failed claimed attempt 2 25 hours ago, and its answer was lost.
        await ledger.TryRetryFailedAsync("welcome", "C-1", 1, RecipientIdentity.IdempotencyKey("welcome", "C-1", 2), CancellationToken.None);
        var csv = harness.WriteCsv(1);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Failed), Is.EqualTo((1L, 0L)), () => string.Join("\n", summary.Problems));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2), "the failed first attempt, and the retry");
        Assert.That(File.ReadAllText(csv), Does.Not.Contain(failed));
    }
}
