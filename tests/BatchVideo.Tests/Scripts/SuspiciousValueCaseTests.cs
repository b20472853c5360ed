using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Scripts;

/// <summary>
/// Round-3 exports with cells that are not values (tests/BatchVideo.Tests/Cases 34, 38): validate names
/// each row with its line, key, column and code; run pays for none of them and for every good row; the
/// file keeps every byte but the video cells.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SuspiciousValueCaseTests
{
    [TestCase("38-unfilled-merge-tags-in-cells", "input.csv", "M-3805", new[] { "2 M-3801 first_name merge_tag", "3 M-3802 first_name merge_tag", "4 M-3803 first_name merge_tag", "5 M-3804 company merge_tag", "7 M-3806 first_name merge_tag" })]
    [TestCase("38-unfilled-merge-tags-in-cells", "minimal.csv", null, new[] { "2 M-1 first_name merge_tag" })]
    [TestCase("34-formula-injection-cells", "input.csv", "X-3401", new[] { "3 X-3402 first_name formula", "4 X-3403 company formula", "5 X-3404 first_name empty_column", "6 X-3405 company formula" })]
    [TestCase("34-formula-injection-cells", "minimal.csv", null, new[] { "2 X-1 first_name formula" })]
    public async Task Validate_names_every_suspicious_row_and_run_pays_only_for_the_good_ones(string name, string input, string? good, string[] problems)
    {
        await using var harness = await CaseHarness.StartAsync(name);
        var csv = harness.Folder.File(input);
        var before = File.ReadAllBytes(csv);

        var validated = new List<BatchVideo.Campaigns.RowProblem>();
        var validate = await harness.ValidateAsync(csv, onProblem: validated.Add);
        var run = await harness.RunAsync(csv);

        foreach (var reports in new[] { validated, run.Problems })
        {
            Assert.That(
                reports.Select(p => string.Join(' ', new[] { p.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Key, p.Column, p.Code }.Where(s => !string.IsNullOrEmpty(s)))),
                Is.EqualTo(problems));
        }

        Assert.That((validate.WouldSubmit, validate.Submitted), Is.EqualTo((good is null ? 0L : 1L, 0L)));
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(good is null ? 0 : 1));
        Assert.That(harness.Sandbox.Videos.Select(v => v.Script!), Has.None.Contains("{").And.None.Contains("=").And.None.Contains("|"));
        CsvBytes.AssertOnlyVideoCellsChanged(before, File.ReadAllBytes(csv), ',');
    }

    [Test]
    public async Task Rejects_CSV_neutralises_formula_cells_and_the_source_keeps_them_byte_for_byte()
    {
        await using var harness = await CaseHarness.StartAsync("34-formula-injection-cells");
        var csv = harness.Folder.File("input.csv");
        var before = File.ReadAllBytes(csv);

        var run = await harness.RunAsync(csv);
        var rejects = File.ReadAllText(run.RejectsPath!);

        Assert.That(rejects, Does.Contain("X-3404,,Lopez,l.lopez@example.mx,'@SUM(1+9)*cmd|' /C calc'!A0,5,"));
        Assert.That(rejects, Does.Contain(",'+cmd|' /C calc'!A0,4,").And.Contain(",'=1+1,6,").And.Contain("\"'=HYPERLINK("));
        Assert.That(rejects.Split('\n').SelectMany(line => line.Split(',')).Where(cell => cell.Length > 0 && cell[0] is '=' or '+' or '@'), Is.Empty);
        CsvBytes.AssertOnlyVideoCellsChanged(before, File.ReadAllBytes(csv), ',');
        Assert.That(File.ReadAllText(csv), Does.Contain("X-3404,,Lopez,l.lopez@example.mx,@SUM(1+9)*cmd|' /C calc'!A0,"));
    }
}
