using System.Diagnostics;
using BatchVideo.Campaigns;
using BatchVideo.Tests.Support;

namespace BatchVideo.Tests.Reliability;

/// <summary>
/// Runs the real <c>batchvideo</c> executable again and again, killing it with SIGKILL at points drawn
/// from a seeded random source and spread over the batch, then lets a last run finish. What each kill
/// hit is written to the test output, so a failure can be replayed with the same seed.
/// </summary>
internal sealed class KillStorm(PipelineHarness harness, int rows, int seed)
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(90);

    public int Kills { get; private set; }

    /// <summary>
    /// Kills <paramref name="kills"/> runs: the i-th once the sandbox has created a video count drawn from
    /// the i-th of <paramref name="kills"/> equal slices of the batch, plus a random moment more (0-150 ms),
    /// so kills land between claim and create, mid-create, mid-commit and while following.
    /// <paramref name="between"/> runs while the i-th run is alive, before its kill (an outage, say).
    /// </summary>
    public async Task KillAsync(string[] args, int kills, Func<int, Task>? between = null)
    {
        var random = new Random(seed);
        for (var i = 0; i < kills; i++)
        {
            // Slices of the first 95%: the last kill still leaves work for the final run.
            var target = (int)((i + random.NextDouble()) * rows * 0.95 / kills);
            var extra = TimeSpan.FromMilliseconds(random.Next(0, 150));
            using var process = harness.StartCli(args);
            // Drained all along, so a chatty run never blocks on a full pipe.
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            var created = harness.Sandbox.Stats.VideosCreated;
            while (harness.Sandbox.Stats.VideosCreated < target && !process.HasExited && clock.Elapsed < RunDeadline)
            {
                await Task.Delay(2);
            }

            if (between is not null && !process.HasExited)
            {
                await between(i);
            }

            await Task.Delay(extra);
            var exited = process.HasExited;
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                Kills++;
            }

            await process.WaitForExitAsync();
            TestContext.Out.WriteLine(
                $"kill {i + 1}: target {target} videos (+{extra.TotalMilliseconds:0} ms), created {created} -> {harness.Sandbox.Stats.VideosCreated}"
                + (exited ? $", but the run had exited (code {process.ExitCode}): {await output}{await error}" : ""));
        }
    }

    /// <summary>Runs to the end, again while a run leaves rows for a rerun (exit 1 with deferred rows), at most three times.</summary>
    public async Task<CliResult> FinishAsync(string[] args)
    {
        CliResult result = null!;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            result = await harness.RunCliAsync(args);
            TestContext.Out.WriteLine($"final run {attempt}: exit {result.ExitCode}");
            if (result.ExitCode != 1)
            {
                break;
            }

            TestContext.Out.WriteLine(result.Output);
        }

        return result;
    }

    /// <summary>Every marker the batch's rows should have, one per recipient key C-1..C-n.</summary>
    public IReadOnlyList<string> ExpectedMarkers(string campaign, Func<int, string> key) =>
        [.. Enumerable.Range(1, rows).Select(i => RecipientIdentity.Marker(campaign, key(i))).Order(StringComparer.Ordinal)];
}
