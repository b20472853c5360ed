using System.Text;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// Round-3 exports whose bytes are not what they look like (tests/BatchVideo.Tests/Cases 24, 36): a DOS
/// end-of-file mark and a Mac Roman file with CR line ends. Nothing unspeakable is sent, the file keeps
/// every byte but the video cells, and a refusal names the line a text editor shows.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class UnspeakableExportCaseTests
{
    private static int Completed(List<string[]?> videos) => videos.Count(v => v is [{ Length: > 0 }, "completed", { Length: > 0 }]);

    [TestCase("input.csv")]
    [TestCase("input-noeol.csv")]
    public async Task Final_ctrl_z_is_no_row_never_spoken_and_kept_at_the_end(string input)
    {
        await using var harness = await CaseHarness.StartAsync("36-trailing-ctrl-z-eof");
        var csv = harness.Folder.File(input);
        var before = File.ReadAllBytes(csv);

        var summary = await harness.RunAsync(csv);
        var after = File.ReadAllBytes(csv);

        Assert.That((summary.ExitCode, summary.Rejected, summary.Completed), Is.EqualTo((0, 0L, 3L)));
        Assert.That(harness.Sandbox.Videos.Count(v => v.Script!.Contains('\u001A', StringComparison.Ordinal)), Is.Zero);
        Assert.That(harness.Sandbox.Videos.Select(v => v.Script), Has.Some.Contains("about Walsh Crafts."));
        Assert.That(after[^1], Is.EqualTo(0x1A), "the mark stays the file's last byte");
        Assert.That(Completed(CsvBytes.AssertOnlyVideoCellsChanged(before[..^1], after[..^1], ',')), Is.EqualTo(3));

        var rerun = await harness.RunAsync(csv);
        Assert.That((rerun.ExitCode, rerun.AlreadyDone, harness.Sandbox.Stats.VideosCreated), Is.EqualTo((0, 3L, 3)));
    }

    [TestCase("input.csv", 3, 90)]
    [TestCase("minimal.csv", 3, 84)]
    public void Mac_Roman_file_with_CR_line_ends_is_refused_at_the_line_an_editor_shows(string input, int line, int at)
    {
        var path = Path.Combine(CaseHarness.Folder("24-excel-mac-csv-macroman"), input);

        var error = Assert.Throws<SourceException>(() => CsvContactSource.Open(path, "id"));

        Assert.That(error!.Message, Is.EqualTo($"{path} line {line} (byte {at}) is not valid UTF-8; save the file as UTF-8 (\"CSV UTF-8\" in Excel) and run again."));
    }

    [TestCase("\r", 4)]
    [TestCase("\n", 4)]
    [TestCase("\r\n", 4)]
    public void Encoding_error_line_counts_every_kind_of_line_end(string end, int line)
    {
        using var folder = new TempFolder();
        var bytes = Encoding.ASCII.GetBytes($"id,first_name{end}1,Ann{end}2,Bo{end}3,Zo").Concat(new byte[] { 0x8A, (byte)'\r' }).ToArray();
        var path = folder.WriteBytes("c.csv", bytes);

        var error = Assert.Throws<SourceException>(() => CsvContactSource.Open(path, "id"));

        Assert.That(error!.Message, Does.Contain($" line {line} (byte "));
    }
}
