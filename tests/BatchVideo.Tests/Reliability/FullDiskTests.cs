using System.Diagnostics;
using BatchVideo.Sandbox;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reliability;

/// <summary>
/// The ledger's disk fills under a busy run: the run stops within seconds with a sentence, nothing paid
/// is forgotten, and once space is back the next run finishes every row once, with no damaged-ledger verdict.
/// </summary>
[TestFixture]
[Category("Reliability")]
[Category("Integration")]
[NonParallelizable]
[Platform(Include = "Linux")]
public sealed class FullDiskTests
{
    private const int Rows = 120;

    [Test]
    public async Task A_run_whose_ledger_disk_fills_stops_with_a_sentence_and_the_next_run_finishes_every_row_once()
    {
        using var disk = await SmallDisk.MountAsync(megabytes: 16);
        await using var harness = await PipelineHarness.StartAsync(new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(400), MaxConcurrentJobs = 10 });
        var ledger = disk.File("ledger.db");
        harness.WriteConfig(c =>
        {
            c["Ledger"]!["ConnectionString"] = $"Data Source={ledger}";
            c["Ledger"]!["Backups"] = 2;
            c["HeyGen"]!["MaxConcurrency"] = 4;
        });
        harness.WriteCsv(Rows);
        string[] args = ["run", "--csv", "contacts.csv", "--config", harness.ConfigPath, "--quiet"];

        using var first = harness.StartCli(args);
        var output = first.StandardOutput.ReadToEndAsync();
        var error = first.StandardError.ReadToEndAsync();
        while (harness.Sandbox.Videos.Count < 15 && !first.HasExited)
        {
            await Task.Delay(20);
        }

        var filler = disk.Fill();
        var filled = Stopwatch.StartNew();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await first.WaitForExitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var stoppedAfter = filled.Elapsed;
        if (!first.HasExited)
        {
            first.Kill(entireProcessTree: true);
        }

        TestContext.Out.WriteLine($"stopped {stoppedAfter.TotalSeconds:0.0} s after the disk filled; {harness.Sandbox.Videos.Count} videos created");
        TestContext.Out.WriteLine(await output);
        TestContext.Out.WriteLine(await error);
        Assert.That(stoppedAfter, Is.LessThan(TimeSpan.FromSeconds(30)), "a full disk is a stop, not a hang");
        Assert.That(first.ExitCode, Is.EqualTo(2));
        Assert.That(await error, Does.Contain("The disk holding the ledger").And.Contain("is full").And.Contain("Free space on that disk"));
        Assert.That(await error, Does.Not.Contain("Nothing was sent"), "creates were paid before the disk filled");

        var whileFull = await harness.RunCliAsync(args);

        Assert.That(whileFull.ExitCode, Is.EqualTo(2), whileFull.Output + whileFull.Error);
        Assert.That(whileFull.Error, Does.Contain("is full").And.Not.Contain("damaged").And.Not.Contain("cut short"));
        Assert.That(Directory.GetFiles(disk.Path, "*.part*"), Is.Empty, "a backup that could not be written leaves no part file");

        File.Delete(filler);
        var second = await harness.RunCliAsync(args);

        Assert.That(second.ExitCode, Is.Zero, second.Output + second.Error);
        Assert.That(harness.CreatedMarkers(), Is.Unique, "no row paid twice");
        Assert.That(harness.CreatedMarkers(), Has.Count.EqualTo(Rows));
    }
}
