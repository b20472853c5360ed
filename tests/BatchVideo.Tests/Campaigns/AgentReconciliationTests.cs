using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// A Video Agent create whose answer was lost (docs/reconciliation.md): replayed within the idempotency
/// window; past it, never sent blind (the request has no title to search), failed with the marker to look for.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class AgentReconciliationTests
{
    private static async Task LoseTheAnswerAsync(PipelineHarness harness, string key, TimeSpan ago)
    {
        var ledger = harness.Ledger(new FakeTimeProvider(DateTimeOffset.UtcNow - ago));
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync(
            "welcome", key, RecipientIdentity.IdempotencyKey("welcome", key, 1, VideoTypes.VideoAgent), RecipientIdentity.Marker("welcome", key), CancellationToken.None);
    }

    /// <summary>The operator verified that the agent endpoint honours the key, and the stand-in does.</summary>
    private static void TrustAgentKey(PipelineHarness harness) =>
        VideoTypeRunTests.UseType(harness, VideoTypes.VideoAgent, c => c["HeyGen"]!["IdempotentEndpoints"] = new System.Text.Json.Nodes.JsonArray("/v3/videos", "/v3/video-agents"));

    [Test]
    public async Task Within_the_window_the_agent_create_is_replayed_with_its_key()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), AgentHonoursIdempotencyKey = true });
        TrustAgentKey(harness);
        await LoseTheAnswerAsync(harness, "C-1", TimeSpan.FromMinutes(5));
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Failed), Is.EqualTo((3L, 0L)));
        Assert.That(harness.Sandbox.Videos.Select(v => v.IdempotencyKey), Does.Contain(RecipientIdentity.IdempotencyKey("welcome", "C-1", 1, VideoTypes.VideoAgent)));
    }

    [Test]
    public async Task After_the_window_the_agent_create_is_not_sent_again_and_names_its_callback_id()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), IdempotencyWindow = TimeSpan.FromMilliseconds(1), AgentHonoursIdempotencyKey = true });
        TrustAgentKey(harness);
        await LoseTheAnswerAsync(harness, "C-1", TimeSpan.FromHours(25));
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Failed), Is.EqualTo((2L, 1L)));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(2), "C-1 is never sent blind");
        Assert.That(harness.Sandbox.Videos.Select(v => v.CallbackId), Has.None.EqualTo(RecipientIdentity.Marker("welcome", "C-1")));
        var problem = summary.Problems.Single(p => p.Key == "C-1");
        Assert.That(problem.Code, Is.EqualTo("outcome_unknown"));
        Assert.That(problem.Reason, Does.Contain(RecipientIdentity.Marker("welcome", "C-1")));
    }

    [TestCase("video_agent")]
    [TestCase("cinematic_avatar")]
    public async Task Dry_run_and_validate_count_and_price_every_row_without_sending(string type)
    {
        await using var harness = await PipelineHarness.StartAsync();
        VideoTypeRunTests.UseType(harness, type);
        var csv = harness.WriteCsv(5);

        var dry = await harness.RunAsync(csv, dryRun: true);
        var validated = await harness.ValidateAsync(csv);

        Assert.That((dry.WouldSubmit, dry.Submitted), Is.EqualTo((5L, 0L)));
        Assert.That((validated.WouldSubmit, validated.Submitted), Is.EqualTo((5L, 0L)));
        // UseType: the agent's ExpectedSeconds 20, the clip's Duration 6; a prompt's words count for nothing.
        Assert.That(validated.Estimate!.Minutes, Is.EqualTo(5 * (type == "video_agent" ? 20 : 6) / 60.0).Within(1e-9));
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
    }
}
