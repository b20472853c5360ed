using System.Text.Json.Nodes;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// A caption file that comes after its video (HeyGen reports captions with their own events): asked again before
/// the write-back, and a caption cell is never left empty without a problem saying so.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CaptionLagTests
{
    private static void UseCaptions(PipelineHarness harness, string captionWait) =>
        harness.WriteConfig(c =>
        {
            var campaign = c["Campaigns"]!["welcome"]!.AsObject();
            campaign["Captions"] = true;
            campaign["Columns"] = new JsonObject { ["Captions"] = "captions_url" };
            c["HeyGen"]!["CaptionWait"] = captionWait;
        });

    [Test]
    public async Task A_caption_file_later_than_its_video_is_still_written()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), CaptionLag = TimeSpan.FromMilliseconds(800) });
        UseCaptions(harness, "00:00:30");
        var csv = harness.WriteCsv(3);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.ToResume), Is.EqualTo((3L, 0L)), string.Join("; ", summary.Problems.Select(p => p.Reason)));
        var rows = File.ReadAllLines(csv).Skip(1).ToList();
        Assert.That(rows, Has.All.Contains(".srt"), string.Join("\n", rows));
    }

    [Test]
    public async Task A_caption_file_still_missing_is_reported_not_written_empty_in_silence()
    {
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(200), CaptionLag = TimeSpan.FromHours(1) });
        UseCaptions(harness, "00:00:00.300");
        var csv = harness.WriteCsv(2);

        var summary = await harness.RunAsync(csv);

        Assert.That(summary.Completed, Is.EqualTo(2));
        Assert.That(summary.Problems.Where(p => p.Code == "captions_pending").Select(p => p.Key), Is.EquivalentTo(new[] { "C-1", "C-2" }));
        Assert.That(summary.Problems[0].Reason, Does.Contain("batchvideo refresh"));
    }
}
