using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Prices as HeyGen publishes them (docs/heygen-contract.md "Prices"): Cinematic Avatar a flat $7.00 per video, so
/// estimates and --max-spend never price it by the second.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PublishedPriceTests
{
    [Test]
    public async Task Validate_of_ten_cinematic_rows_against_a_USD_wallet_estimates_at_least_70_dollars()
    {
        await using var harness = await PipelineHarness.StartAsync();
        VideoTypeRunTests.UseType(harness, "cinematic_avatar");
        var csv = harness.WriteCsv(10);

        var summary = await harness.ValidateAsync(csv, online: true);

        Assert.That(summary.Preflight, Does.StartWith("passed"));
        Assert.That(summary.Estimate!.Unit, Is.EqualTo("usd"));
        Assert.That(summary.Estimate.Credits, Is.GreaterThanOrEqualTo(70.0), "$7.00 a video, flat, whatever the 6 s clip");
    }

    [Test]
    public async Task Max_spend_counts_each_cinematic_video_at_its_flat_price()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(100) });
        VideoTypeRunTests.UseType(harness, "cinematic_avatar");
        var csv = harness.WriteCsv(10);

        var summary = await harness.RunAsync(csv, maxCredits: 30);

        Assert.That(summary.Submitted, Is.EqualTo(4), "4 × $7 fits in $30, a fifth does not");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(4));
    }

    [Test]
    public async Task Engine_avatar_iii_warns_at_start_that_HeyGen_may_refuse_it()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c => c["Campaigns"]!["welcome"]!["Engine"] = "avatar_iii");
        harness.WriteCsv(2);

        var result = await harness.RunCliAsync("validate", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--offline");

        Assert.That(result.Output + result.Error, Does.Contain("Avatar III only to existing customers"));
    }
}
