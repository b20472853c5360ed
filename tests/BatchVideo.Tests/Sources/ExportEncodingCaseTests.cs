using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Sources;

/// <summary>
/// Excel's non-UTF-8 exports (tests/BatchVideo.Tests/Cases 01 and 02): BatchVideo never speaks a mangled
/// name nor rewrites the file in another encoding, so it refuses the file before anything is paid, says
/// where and how to fix it, and leaves every byte as it was.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ExportEncodingCaseTests
{
    [TestCase("01-excel-cp1252-accents", "input.csv line 2 (byte ", "is not valid UTF-8; save the file as UTF-8 (\"CSV UTF-8\" in Excel)")]
    [TestCase("02-excel-utf16-unicode-text", "input.csv is UTF-16 encoded", "save it as UTF-8 (\"CSV UTF-8\" in Excel)")]
    public async Task A_non_utf8_export_is_refused_before_any_create_and_kept_byte_for_byte(string name, string where, string fix)
    {
        await using var harness = await CaseHarness.StartAsync(name);
        var before = CaseHarness.Bytes(name, "input.csv");

        var validate = await harness.RunCliAsync("validate", "--csv", "input.csv", "--config", harness.ConfigPath);
        var run = await harness.RunCliAsync("run", "--csv", "input.csv", "--config", harness.ConfigPath);

        foreach (var result in new[] { validate, run })
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.Output + result.Error);
            Assert.That(result.Output + result.Error, Does.Contain(where).And.Contain(fix).And.Contain("Nothing was sent to HeyGen."));
        }

        Assert.That(harness.Sandbox.Stats.CreateRequests, Is.Zero);
        Assert.That(File.ReadAllBytes(harness.Folder.File("input.csv")), Is.EqualTo(before));
    }
}
