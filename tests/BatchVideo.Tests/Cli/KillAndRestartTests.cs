using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Cli;

[TestFixture]
[Category("Integration")]
public sealed class KillAndRestartTests
{
    [Test]
    public async Task Rerun_after_kill_submits_each_row_once()
    {
        const int rows = 200;
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(500) });
        // Slow enough that the kills land in the middle of submitting.
        harness.WriteConfig(c => c["HeyGen"]!["RequestsPerSecond"] = 60);
        harness.WriteCsv(rows);

        foreach (var killAfter in new[] { 20, 70, 130 })
        {
            using var process = harness.StartCli("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (harness.Sandbox.Stats.VideosCreated < killAfter && !process.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(5);
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var createdBeforeFinalRun = harness.Sandbox.Stats.VideosCreated;
        var final = await harness.RunCliAsync("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);

        Assert.That(createdBeforeFinalRun, Is.GreaterThanOrEqualTo(130).And.LessThan(rows), "the kills must land mid-batch");
        Assert.That(final.ExitCode, Is.Zero, final.Output + final.Error);
        Assert.That(harness.Sandbox.Stats.VideosCreated, Is.EqualTo(rows));
        Assert.That(harness.CreatedMarkers().Distinct().Count(), Is.EqualTo(rows));
        var lines = File.ReadAllLines(harness.Folder.File("contacts.csv"));
        Assert.That(lines, Has.Length.EqualTo(rows + 1));
        Assert.That(lines.Skip(1).Count(l => l.Contains(",completed,http", StringComparison.Ordinal)), Is.EqualTo(rows));
    }
}
