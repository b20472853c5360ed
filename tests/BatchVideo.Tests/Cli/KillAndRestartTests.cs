using System.Diagnostics;
using BatchVideo.Ledger;
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

    [Test]
    public async Task Ctrl_c_lets_the_creates_in_flight_answer_and_records_their_videos()
    {
        // Every create is made at once and answered only after 4 s: past System.CommandLine's own two seconds after
        // a signal, well within the 30 s a create already sent gets once the run is asked to stop.
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { HangRate = 1, HangDuration = TimeSpan.FromSeconds(4) });
        harness.WriteConfig(c => c["HeyGen"]!["AttemptTimeout"] = "00:00:10");
        harness.WriteCsv(30);

        using var run = harness.StartCli("run", "--csv", "contacts.csv", "--config", harness.ConfigPath);
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();
        await Eventually.HappensAsync(() => Task.FromResult(harness.Sandbox.Stats.VideosCreated >= 1), TimeSpan.FromSeconds(30), () => "no create reached the sandbox");
        Process.Start("kill", $"-INT {run.Id}")!.WaitForExit();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await run.WaitForExitAsync(patience.Token);
        var said = await output + await errors;
        var created = harness.Sandbox.Stats.VideosCreated;
        var counts = await harness.Ledger(TimeProvider.System).CountByStateAsync("welcome", CancellationToken.None);

        Assert.That(created, Is.InRange(1, 29), "the signal came mid-run");
        Assert.That(run.ExitCode, Is.EqualTo(1), "the run stopped itself (rows left for a rerun), not cut short by the signal:\n" + said);
        Assert.That(counts.GetValueOrDefault(LedgerState.Submitted) + counts.GetValueOrDefault(LedgerState.Completed), Is.EqualTo(created), "every video HeyGen made is recorded by id:\n" + said);
        Assert.That(said, Does.Match($@"not sent\s+{30 - created}\s"), "the rows the stop left unsent are counted, so the summary adds up to the 30 read");
    }
}
