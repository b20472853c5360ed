using BatchVideo.Sandbox;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// The whole CSV pipeline (read, render, ledger, create, follow, write-back) against a sandbox that
/// renders instantly and has no rate limit: what the machine itself can do.
/// </summary>
internal static class PipelineScenario
{
    public const double GoalRowsPerSecond = 10_000;

    public static async Task<IReadOnlyList<Figure>> RunAsync(int rows, PipelineSettings settings, CancellationToken ct)
    {
        using var workspace = new Workspace("pipeline");
        var csv = workspace.WriteContacts(rows);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero }, 0, ct);
        var timing = await InProcessRun.RunAsync(workspace, csv, rows, sandbox.BaseAddress, settings, ct);
        var summary = timing.Summary;
        var stats = sandbox.Stats;
        var correct = summary.Completed == rows && stats.VideosCreated == rows;
        var setup = $"{rows:#,0} rows, MaxConcurrency {settings.MaxConcurrency}, poll {settings.PollInterval.TotalMilliseconds:0} ms";
        return
        [
            Figure.AtLeast("pipeline", "whole run, rows/s", rows / timing.Total.TotalSeconds, "rows/s", GoalRowsPerSecond,
                correct ? setup : $"{setup}; WRONG RESULT: completed {summary.Completed}, created {stats.VideosCreated}"),
            Figure.Info("pipeline", "until every create answered", timing.AllSubmitted.TotalSeconds, "s"),
            Figure.Info("pipeline", "until every video recorded", timing.AllFinished.TotalSeconds, "s"),
            Figure.Info("pipeline", "write-back and end", (timing.Total - timing.AllFinished).TotalSeconds, "s"),
            Figure.Info("pipeline", "HTTP requests per row", (double)stats.TotalRequests / rows, "req/row",
                $"{stats.CreateRequests:#,0} creates, {stats.StatusRequests:#,0} status GETs, {stats.TotalRequests - stats.CreateRequests - stats.StatusRequests:#,0} other"),
        ];
    }
}
