using BatchVideo.Ledger;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Keys after a refusal (audit discrepancies 4 and 4b): HeyGen may replay a key's first answer, errors included,
/// for 24 hours, so a row refused before a video existed is sent again under a new attempt and key.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class RefusalKeyTests
{
    [Test]
    public async Task A_row_refused_for_credit_is_sent_after_a_top_up_under_a_new_key_and_gets_its_video()
    {
        // The stricter reading: the sandbox stores the 402 and replays it for the same key.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions
        {
            RenderTime = TimeSpan.FromMilliseconds(100),
            WalletCurrency = "credits",
            RemainingCredits = 0,
            CreditsPerVideo = 1,
            CreditsPerMinute = 0,
            IdempotencyReplaysErrors = true,
        });
        harness.WriteConfig(c =>
        {
            c["HeyGen"]!["MaxConcurrency"] = 1;
            c["Campaigns"]!["welcome"]!["CreditsPerMinute"] = 0; // no pre-flight estimate: the create itself is refused
        });
        var csv = harness.WriteCsv(1);

        var refused = await harness.RunAsync(csv);
        var afterRefusal = (await harness.Ledger(TimeProvider.System).GetAsync("welcome", "C-1", CancellationToken.None))!;
        harness.Sandbox.TopUp(10);
        var resent = await harness.RunAsync(csv);
        var entry = (await harness.Ledger(TimeProvider.System).GetAsync("welcome", "C-1", CancellationToken.None))!;

        Assert.That(refused.StoppedBecause, Does.Contain("insufficient_credit"));
        Assert.That((afterRefusal.State, afterRefusal.VideoStatus, afterRefusal.Attempt), Is.EqualTo((LedgerState.Failed, LedgerState.Refused, 1)));
        Assert.That(resent.Completed, Is.EqualTo(1), resent.StoppedBecause);
        Assert.That((entry.State, entry.Attempt), Is.EqualTo((LedgerState.Completed, 2)));
        Assert.That(harness.Sandbox.Videos.Single().IdempotencyKey, Does.EndWith("-a2"));
    }
}
