using System.Text.Json.Nodes;
using BatchVideo.Campaigns;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Campaigns;

/// <summary>
/// Optional facts back into the row (<c>Columns:Thumbnail</c>, <c>Duration</c>, <c>Captions</c>, <c>FailureReason</c>):
/// appended after the video cells, each from what HeyGen reported for the row's video.
/// </summary>
[TestFixture]
public sealed class WriteBackFactsTests
{
    [Test]
    [Category("Integration")]
    public async Task Thumbnail_duration_caption_file_and_failure_reason_are_written_back()
    {
        await using var harness = await PipelineHarness.StartAsync();
        harness.WriteConfig(c =>
        {
            var campaign = c["Campaigns"]!["welcome"]!.AsObject();
            campaign["Captions"] = true;
            campaign["Columns"] = new JsonObject
            {
                ["Thumbnail"] = "thumbnail_url",
                ["Duration"] = "duration_s",
                ["Captions"] = "captions_url",
                ["FailureReason"] = "failure_reason",
            };
        });
        var csv = harness.WriteCsv(3, firstName: i => i == 2 ? "SANDBOX_FAIL_RENDER" : "Name" + i);

        var summary = await harness.RunAsync(csv);

        Assert.That((summary.Completed, summary.Failed), Is.EqualTo((2L, 1L)));
        using var reader = CsvHelper.CsvReader.FromFile(csv);
        var rows = new List<Dictionary<string, string>>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.Current.ToDictionary().ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? ""));
        }

        Assert.That(rows[0].Keys, Is.EqualTo(new[] { "id", "first_name", "company", "video_id", "video_status", "video_url", "thumbnail_url", "duration_s", "captions_url", "failure_reason" }));
        var done = rows[0];
        var video = harness.Sandbox.Videos.Single(v => v.Id == done["video_id"]);
        Assert.That(done["thumbnail_url"], Does.StartWith(harness.Sandbox.BaseAddress.AbsoluteUri).And.Contain(video.Id));
        Assert.That(double.Parse(done["duration_s"], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(0));
        Assert.That(done["captions_url"], Does.Contain(video.Id), "Captions on: HeyGen's caption file");
        Assert.That(video.HasCaptions, Is.True, "the create asked for captions");
        Assert.That(done["failure_reason"], Is.Empty);
        var failed = rows[1];
        Assert.That(failed["video_status"], Is.EqualTo("failed"));
        Assert.That(failed["failure_reason"], Does.Contain("failed"));
        Assert.That((failed["thumbnail_url"], failed["captions_url"]), Is.EqualTo(("", "")));
    }

    [Test]
    public void Caption_column_needs_captions_and_facts_need_a_csv_source()
    {
        var errors = new List<string>();
        VideoTypes.Validate("Campaigns:c", new CampaignOptions { AvatarId = "a", VoiceId = "v", Columns = new() { Captions = "srt" } }, errors);
        VideoTypes.Validate("Campaigns:t", new CampaignOptions { AvatarId = "a", VoiceId = "v", Source = new(), Columns = new() { Thumbnail = "thumb" } }, errors);
        VideoTypes.Validate("Campaigns:x", new CampaignOptions { Type = VideoTypes.VideoAgent, Captions = true }, errors);

        Assert.That(errors, Has.Some.StartsWith("Campaigns:c:Columns:Captions needs Campaigns:c:Captions true")
            .And.Some.StartsWith("Campaigns:t:Columns:Thumbnail are written back to CSV files only")
            .And.Some.StartsWith("Campaigns:x:Captions is an avatar setting"));
    }
}
