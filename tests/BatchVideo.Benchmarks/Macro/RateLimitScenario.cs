using System.Diagnostics;
using BatchVideo.Sandbox;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// A sandbox limited to R requests per second and a client configured for the same R: how close to R
/// the run keeps the API busy, and whether it trips the limit after the first second.
/// </summary>
internal static class RateLimitScenario
{
    public const double GoalShare = 0.95;

    public static async Task<IReadOnlyList<Figure>> RunAsync(double rate, PipelineSettings baseSettings, CancellationToken ct)
    {
        // Ten seconds of creates at one request per row; longer when each row also costs a status request.
        var rows = (int)(rate * 10);
        using var workspace = new Workspace($"rate{rate}");
        var csv = workspace.WriteContacts(rows);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { RenderTime = TimeSpan.Zero, RequestsPerSecond = rate }, 0, ct);
        var settings = baseSettings with { RequestsPerSecond = rate, MaxConcurrency = Math.Min(baseSettings.MaxConcurrency, 16) };
        var stats = sandbox.Stats;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new List<(TimeSpan At, long Accepted, long Limited, long Created)>();
        var sampler = Task.Run(
            async () =>
            {
                var clock = new Stopwatch();
                while (!sampling.IsCancellationRequested)
                {
                    if (!clock.IsRunning && stats.TotalRequests > 0)
                    {
                        clock.Start();
                    }

                    if (clock.IsRunning)
                    {
                        samples.Add((clock.Elapsed, stats.TotalRequests - stats.RateLimited, stats.RateLimited, stats.VideosCreated));
                    }

                    await Task.Delay(10, CancellationToken.None);
                }
            },
            CancellationToken.None);
        var timing = await InProcessRun.RunAsync(workspace, csv, rows, sandbox.BaseAddress, settings, ct);
        await sampling.CancelAsync();
        await sampler;

        var name = $"R={rate:0}/s";
        var afterProbe = samples.FirstOrDefault(s => s.At >= TimeSpan.FromSeconds(1));
        var lastCreate = samples.FirstOrDefault(s => s.Created >= rows);
        if (afterProbe == default || lastCreate == default || lastCreate.At <= afterProbe.At)
        {
            return [Figure.NotMeasured("ratelimit", $"{name} sustained", $">= {GoalShare:P0} of R", "the run was too short to measure")];
        }

        var sustained = (lastCreate.Accepted - afterProbe.Accepted) / (lastCreate.At - afterProbe.At).TotalSeconds;
        var limitedAfterProbe = stats.RateLimited - afterProbe.Limited;
        var note = $"{rows:#,0} rows, {stats.TotalRequests:#,0} requests, {(double)stats.TotalRequests / rows:0.00} per row, whole run {timing.Total.TotalSeconds:0.0} s";
        return
        [
            Figure.AtLeast("ratelimit", $"{name} sustained request rate", sustained, "req/s", GoalShare * rate, note),
            Figure.AtLeast("ratelimit", $"{name} share of R", 100 * sustained / rate, "%", 100 * GoalShare),
            Figure.AtMost("ratelimit", $"{name} 429s after the first second", limitedAfterProbe, "429s", 0, $"{stats.RateLimited} in all"),
        ];
    }
}
