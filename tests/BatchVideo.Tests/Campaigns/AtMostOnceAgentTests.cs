using BatchVideo.Campaigns;
using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Where HeyGen does not document the Idempotency-Key (the Video Agent create), a create is sent once: a lost
/// answer is an outcome the operator settles, never a replay that could pay for a second video.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class AtMostOnceAgentTests
{
    [Test]
    public async Task A_lost_agent_answer_is_reported_unknown_and_never_sent_again()
    {
        // The stand-in ignores the key on agent creates (its default) and loses the answer to the 4th create it makes.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), DropAnswerToCreates = [4] });
        VideoTypeRunTests.UseType(harness, VideoTypes.VideoAgent);
        var csv = harness.WriteCsv(10);

        var first = await harness.RunAsync(csv);
        var rerun = await harness.RunAsync(csv);
        var retried = await harness.RunAsync(csv, retryFailed: true);

        Assert.That(harness.Sandbox.Videos.Count(v => v.Kind == VideoTypes.VideoAgent), Is.EqualTo(10), "one agent video per row, never 11");
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(10), "no create was sent twice, by a retry, a rerun or --retry-failed");
        var lost = first.Problems.Single(p => p.Code == "outcome_unknown");
        Assert.That((first.Completed, first.Failed, first.OutcomeUnknown), Is.EqualTo((9L, 1L, 1L)));
        Assert.That(lost.Reason, Does.Contain("callback_id " + RecipientIdentity.Marker("welcome", lost.Key!)).And.Contain("batchvideo resolve --key " + lost.Key));
        Assert.That(harness.Sandbox.Videos.Select(v => v.CallbackId), Does.Contain(RecipientIdentity.Marker("welcome", lost.Key!)), "HeyGen made it: sending again would pay twice");
        Assert.That(rerun.Problems.Single(p => p.Code == "outcome_unknown").Key, Is.EqualTo(lost.Key), "the rerun names it again");
        Assert.That((rerun.Submitted, rerun.OutcomeUnknown, retried.Submitted, retried.OutcomeUnknown), Is.EqualTo((0L, 1L, 0L, 1L)));
    }

    [Test]
    public async Task The_operator_settles_an_unknown_outcome_by_the_video_found_or_by_sending_again()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), DropAnswerToCreates = [1] });
        VideoTypeRunTests.UseType(harness, VideoTypes.VideoAgent, c => c["HeyGen"]!["MaxConcurrency"] = 1);
        var csv = harness.WriteCsv(2);
        await harness.RunAsync(csv);
        var lostKey = harness.Sandbox.Videos.OrderBy(v => v.CreatedAt).First().CallbackId == RecipientIdentity.Marker("welcome", "C-1") ? "C-1" : "C-2";
        var otherKey = lostKey == "C-1" ? "C-2" : "C-1";
        var ledger = harness.Ledger(TimeProvider.System);

        var listed = await harness.RunCliAsync("resolve", "--config", harness.ConfigPath);
        var found = await harness.RunCliAsync("resolve", "--config", harness.ConfigPath, "--key", lostKey, "--found", harness.Sandbox.Videos.OrderBy(v => v.CreatedAt).First().Id);
        var again = await harness.RunCliAsync("resolve", "--config", harness.ConfigPath, "--key", otherKey, "--send-again");
        var after = await harness.RunAsync(csv);

        Assert.That(listed.ExitCode, Is.EqualTo(1), listed.Output + listed.Error);
        Assert.That(listed.Output, Does.Contain(lostKey).And.Contain(RecipientIdentity.Marker("welcome", lostKey)));
        Assert.That(found.ExitCode, Is.Zero, found.Output + found.Error);
        Assert.That(again.ExitCode, Is.EqualTo(2), "a completed row has no unknown outcome to settle");
        Assert.That((after.Completed, after.Submitted, after.Failed), Is.EqualTo((1L, 0L, 0L)), "the found video is followed, nothing sent");
        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.EqualTo(2));
        Assert.That((await ledger.GetAsync("welcome", lostKey, CancellationToken.None))!.State, Is.EqualTo(LedgerState.Completed));
    }

    [Test]
    public async Task Send_again_on_the_operators_word_sends_a_new_attempt_once()
    {
        await using var harness = await PipelineHarness.StartAsync();
        VideoTypeRunTests.UseType(harness, VideoTypes.VideoAgent);
        // An earlier run's agent create, claimed and never answered: not replayed, since the key is not trusted there.
        var ledger = harness.Ledger(new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5)));
        await ledger.MigrateAsync(CancellationToken.None);
        await ledger.TryBeginSubmissionAsync("welcome", "C-1", RecipientIdentity.IdempotencyKey("welcome", "C-1", 1, VideoTypes.VideoAgent), RecipientIdentity.Marker("welcome", "C-1"), CancellationToken.None);
        var csv = harness.WriteCsv(2);

        var first = await harness.RunAsync(csv);
        var settled = await ledger.ResolveUnknownAsSendAgainAsync("welcome", "C-1", "none found", CancellationToken.None);
        var second = await harness.RunAsync(csv);

        Assert.That((first.Completed, first.OutcomeUnknown), Is.EqualTo((1L, 1L)));
        Assert.That(settled, Is.True);
        Assert.That((second.Submitted, second.Completed), Is.EqualTo((1L, 1L)));
        Assert.That(harness.Sandbox.Videos.Select(v => v.IdempotencyKey), Is.EquivalentTo(new[]
        {
            RecipientIdentity.IdempotencyKey("welcome", "C-2", 1, VideoTypes.VideoAgent),
            RecipientIdentity.IdempotencyKey("welcome", "C-1", 2, VideoTypes.VideoAgent),
        }));
    }

    [Test]
    public async Task An_agent_answer_without_a_video_is_followed_through_its_session_to_the_video()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(300), AgentVideoIdAfter = TimeSpan.FromMilliseconds(400) });
        VideoTypeRunTests.UseType(harness, VideoTypes.VideoAgent);
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);
        var retried = await harness.RunAsync(csv, retryFailed: true);

        Assert.That((summary.Completed, summary.Failed), Is.EqualTo((3L, 0L)), string.Join("; ", summary.Problems.Select(p => p.Reason)));
        var entries = await harness.Ledger(TimeProvider.System).GetAsync("welcome", ["C-1", "C-2", "C-3"], CancellationToken.None);
        Assert.That(entries.Values.Select(e => e.VideoId), Is.EquivalentTo(harness.Sandbox.Videos.Select(v => v.Id)), "each row holds its session's video");
        Assert.That((retried.Submitted, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((0L, 3L)), "a paid session is never sent again");
    }
}
