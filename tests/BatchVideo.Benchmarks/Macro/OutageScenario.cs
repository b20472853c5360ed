using System.Diagnostics;
using BatchVideo.Sandbox;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// Issue 28's outage probe: a batch under the account's 10-job cap, once as is and once with HeyGen unreachable
/// (connections refused and reset by <see cref="OutageProxy"/>) for a while mid-run. The run should lose the
/// outage and at most one probe interval (HeyGen:OutageProbeInterval, 5 s), not crawl back row by row.
/// </summary>
internal static class OutageScenario
{
    /// <summary>HeyGenOptions.OutageProbeInterval's default: the longest wait for HeyGen's return to be noticed.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan OutageStartsAfter = TimeSpan.FromSeconds(5);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int rows, TimeSpan outage, PipelineSettings settings, CancellationToken ct)
    {
        var sandbox = new SandboxOptions { RenderTime = TimeSpan.FromMilliseconds(500) };
        var baseline = await RunOnceAsync("outage-none", rows, sandbox, null, settings, ct);
        var cut = await RunOnceAsync("outage", rows, sandbox, outage, settings, ct);
        var lost = cut.Total - outage - baseline.Total;
        var setup = $"{rows} rows, 10-job cap, 0.5 s renders, HeyGen unreachable for {outage.TotalSeconds:0} s from {OutageStartsAfter.TotalSeconds:0} s";
        return
        [
            Figure.Info("outage", "whole run without an outage", baseline.Total.TotalSeconds, "s", baseline.Note),
            Figure.Info("outage", "whole run with the outage", cut.Total.TotalSeconds, "s", cut.Note),
            Figure.AtMost("outage", "time lost beyond the outage itself", lost.TotalSeconds, "s", ProbeInterval.TotalSeconds, setup),
            Figure.AtMost("outage", "(run - outage) / run without one", (cut.Total - outage) / baseline.Total, "x", (baseline.Total + ProbeInterval) / baseline.Total),
            Figure.AtMost("outage", "first create after HeyGen is back", cut.FirstCreateAfterReturn.TotalSeconds, "s", ProbeInterval.TotalSeconds),
            Figure.AtLeast("outage", "create rate after the outage / without one", cut.RateAfter / baseline.RateAfter, "x", 0.9,
                $"{cut.RateAfter:0.0} against {baseline.RateAfter:0.0} creates/s from the first create after the return (from {OutageStartsAfter.TotalSeconds:0} s without an outage) to the last"),
        ];
    }

    private static async Task<Measured> RunOnceAsync(string name, int rows, SandboxOptions options, TimeSpan? outage, PipelineSettings settings, CancellationToken ct)
    {
        using var workspace = new Workspace(name);
        var csv = workspace.WriteContacts(rows);
        await using var sandbox = await SandboxServer.StartAsync(options, 0, ct);
        await using var proxy = new OutageProxy(sandbox.BaseAddress);
        var clock = Stopwatch.StartNew();
        var returnedAt = OutageStartsAfter + (outage ?? TimeSpan.Zero);
        long createdAtReturn = 0;
        TimeSpan? firstCreateAfterReturn = null;
        var cut = Task.Run(
            async () =>
            {
                await Task.Delay(OutageStartsAfter, ct);
                if (outage is { } length)
                {
                    await proxy.BeginOutageAsync();
                    await Task.Delay(length, ct);
                    proxy.EndOutage();
                }

                createdAtReturn = sandbox.Stats.VideosCreated;
                while (firstCreateAfterReturn is null && createdAtReturn < rows && !ct.IsCancellationRequested)
                {
                    if (sandbox.Stats.VideosCreated > createdAtReturn)
                    {
                        firstCreateAfterReturn = clock.Elapsed - returnedAt;
                    }

                    await Task.Delay(10, ct);
                }
            },
            ct);
        var timing = await InProcessRun.RunAsync(workspace, csv, rows, proxy.Address, settings, ct);
        await cut;
        var total = clock.Elapsed;
        var stats = sandbox.Stats;
        var correct = timing.Summary.Completed == rows && stats.VideosCreated == rows;
        // The pace once creates go again (the wait for the probe is the figure above).
        var after = Math.Max(1, rows - createdAtReturn) / Math.Max(0.001, (timing.AllSubmitted - returnedAt - (firstCreateAfterReturn ?? TimeSpan.Zero)).TotalSeconds);
        return new Measured(
            total,
            firstCreateAfterReturn ?? TimeSpan.Zero,
            after,
            correct ? $"{stats.CreateRequests} create requests, {stats.StatusRequests} status GETs" : $"WRONG RESULT: completed {timing.Summary.Completed}, created {stats.VideosCreated}");
    }

    private sealed record Measured(TimeSpan Total, TimeSpan FirstCreateAfterReturn, double RateAfter, string Note);
}
