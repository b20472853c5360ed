using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// Round-3 exports BatchVideo already read right (tests/BatchVideo.Tests/Cases 22, 23, 25, 26, 29), kept so:
/// the right rows are sent, the right ones rejected at the line where they start, every other byte kept.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class HandledExportCaseTests
{
    [TestCase("22-hubspot-multiline-notes", "input.csv", ',', 4, "8 First Name empty_column")]
    [TestCase("23-outlook-contacts-export", "input.csv", ',', 3, "5 E-mail Address empty_key")]
    [TestCase("25-excel-tab-delimited-text", "input.txt", '\t', 4, null)]
    [TestCase("26-libreoffice-semicolon-decimal-comma", "input.csv", ';', 3, null)]
    [TestCase("29-bidi-marks-rtl-names", "input.csv", ',', 3, "4 first_name empty_column|5 email duplicate_key")]
    public async Task Export_sends_the_good_rows_rejects_the_bad_at_their_line_and_keeps_its_bytes(string name, string input, char delimiter, int videos, string? problems)
    {
        await using var harness = await CaseHarness.StartAsync(name);
        var csv = harness.Folder.File(input);
        var before = File.ReadAllBytes(csv);

        var summary = await harness.RunAsync(csv);

        Assert.That(string.Join('|', summary.Problems.Select(p => $"{p.Line} {p.Column} {p.Code}")), Is.EqualTo(problems ?? ""));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(videos));
        Assert.That(harness.Sandbox.Videos.Count(v => v.Script!.Contains('\u200F', StringComparison.Ordinal) || v.Script.Contains('\u202B', StringComparison.Ordinal)), Is.Zero);
        var written = CsvBytes.AssertOnlyVideoCellsChanged(before, File.ReadAllBytes(csv), delimiter);
        Assert.That(written.Count(v => v is [{ Length: > 0 }, "completed", { Length: > 0 }]), Is.EqualTo(videos));
    }
}
