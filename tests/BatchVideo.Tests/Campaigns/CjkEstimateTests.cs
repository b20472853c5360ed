using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>The Japanese campaign of case 20: estimated by character, so validation and --max-spend see its real cost.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CjkEstimateTests
{
    [Test]
    public async Task Japanese_campaign_is_estimated_by_character_and_max_credits_stops_it()
    {
        await using var harness = await CaseHarness.StartAsync("20-cjk-script-credit-estimate");
        var csv = harness.Folder.File("input.csv");

        var dryRun = await harness.RunAsync(csv, dryRun: true);
        var perVideo = dryRun.Estimate!.Minutes / 10;
        var costPerVideo = dryRun.Estimate.Credits / 10; // in the sandbox wallet's unit (USD by the second)
        var run = await harness.RunAsync(csv, maxCredits: 10.0);

        Assert.That(dryRun.Estimate.Characters, Is.GreaterThan(2000), "about 230 characters a script");
        Assert.That(perVideo, Is.InRange(0.55, 0.8), "a 230-character Japanese script is about two thirds of a minute");
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo((int)Math.Floor(10.0 / costPerVideo)), "the budget buys whole videos only");
        Assert.That(run.StoppedBecause, Does.Contain("--max-spend $10.00 reached"));
    }
}
