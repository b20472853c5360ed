using System.Text;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// A written-back file re-saved by Google Sheets (tests/BatchVideo.Tests/Cases 35): rows holding a video are
/// not sent again, new rows get theirs, and a file that lost one of the video columns is refused when it
/// is opened, before any create, in a sentence (no stack trace) on every command.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ResavedExportCaseTests
{
    private const string Case = "35-google-sheets-resave-roundtrip";

    [Test]
    public async Task Resaved_file_sends_only_the_new_rows_and_adds_no_final_line_break()
    {
        await using var harness = await CaseHarness.StartAsync(Case);
        var csv = harness.Folder.File("input.csv");
        var before = File.ReadAllBytes(csv);

        var summary = await harness.RunAsync(csv);
        var rerun = await harness.RunAsync(csv);

        Assert.That((summary.AlreadyDone, summary.Completed, summary.Rejected), Is.EqualTo((3L, 2L, 0L)));
        Assert.That((rerun.AlreadyDone, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((5L, 2)));
        var videos = CsvBytes.AssertOnlyVideoCellsChanged(before, File.ReadAllBytes(csv), ',');
        Assert.That(videos.Count(v => v is [{ Length: > 0 }, "completed", { Length: > 0 }]), Is.EqualTo(5));
        Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(csv)), Does.Not.EndWith("\n"));
    }

    [TestCase("video_id,video_url", "video_status")]
    [TestCase("video_status", "video_id', 'video_url")]
    public void File_with_some_of_the_video_columns_is_refused_when_opened(string present, string missing)
    {
        using var folder = new TempFolder();
        var path = folder.Write("c.csv", $"id,first_name,{present}\n1,Ann{new string(',', present.Count(c => c == ',') + 1)}\n");

        var error = Assert.Throws<SourceException>(() => CsvContactSource.Open(path, "id"));

        Assert.That(error!.Message, Does.Contain($"but not '{missing}', so its results could not be written back.").And.Contain("back (empty is fine)"));
    }

    [Test]
    public async Task Export_that_lost_a_video_column_stops_run_and_validate_before_any_create_without_a_stack_trace()
    {
        await using var harness = await CaseHarness.StartAsync(Case);
        var before = CaseHarness.Bytes(Case, "input-status-deleted.csv");

        var run = await harness.RunCliAsync("run", "--csv", "input-status-deleted.csv", "--config", harness.ConfigPath);
        var validate = await Task.Run(() => Assert.ThrowsAsync<SourceException>(() => harness.ValidateAsync(harness.Folder.File("input-status-deleted.csv"))));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Output + run.Error, Does.Contain("has the video column(s) 'video_id', 'video_url' but not 'video_status'"));
        Assert.That(run.Output + run.Error, Does.Not.Contain(" at BatchVideo.").And.Not.Contain("Exception"));
        Assert.That(validate!.Message, Does.Contain("but not 'video_status'"));

        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        Assert.That(File.ReadAllBytes(harness.Folder.File("input-status-deleted.csv")), Is.EqualTo(before));
    }
}
