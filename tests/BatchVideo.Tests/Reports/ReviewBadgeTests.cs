using System.Text.RegularExpressions;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reports;

/// <summary>The review page's badges count what its counters count.</summary>
[TestFixture]
[Category("Integration")]
public sealed partial class ReviewBadgeTests
{
    [Test]
    public async Task A_rerun_badges_earlier_videos_already_done_and_the_rejected_row_rejected()
    {
        await using var harness = await PipelineHarness.StartAsync();
        var csv = harness.WriteCsv(4, firstName: i => i == 3 ? "" : "Name" + i);

        var first = await harness.RunAsync(csv);
        var second = await harness.RunAsync(csv);

        Assert.That(Badges(first.ReviewPagePath!), Is.EqualTo(new Dictionary<string, int> { ["completed"] = 3, ["rejected"] = 1 }));
        Assert.That((first.Completed, first.Rejected), Is.EqualTo((3L, 1L)));
        Assert.That(Badges(second.ReviewPagePath!), Is.EqualTo(new Dictionary<string, int> { ["already done"] = 3, ["rejected"] = 1 }));
        Assert.That((second.AlreadyDone, second.Completed, second.Rejected), Is.EqualTo((3L, 0L, 1L)));
    }

    private static Dictionary<string, int> Badges(string page) =>
        RowStatus().Matches(File.ReadAllText(page)).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());

    [GeneratedRegex("<tr data-line=\"\\d+\"[^>]*data-status=\"([^\"]+)\"")]
    private static partial Regex RowStatus();
}
