using System.Diagnostics;
using BatchVideo.Campaigns;
using BatchVideo.Sandbox;
using BatchVideo.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BatchVideo.Benchmarks.Macro;

/// <summary>
/// A batch against a pay-as-you-go account (10 videos unfinished at once, renders of 20-40 s) run three
/// ways: one video at a time (submit, then poll), a fixed three at a time, and BatchVideo with its default
/// configuration; under three kinds of Retry-After on the cap's 429 (exact, 5 s, 60 s). Each is timed against
/// the ideal, ceil(N / cap) waves of the mean render time, on a clock sped up by <c>--speed-up</c>.
/// </summary>
internal static class SlotsScenario
{
    public const double GoalShareOfIdeal = 0.95;
    public const double GoalRefusedPer100 = 1;
    private const int Cap = 10;
    private static readonly TimeSpan MeanRender = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<Figure>> RunAsync(int rows, double speedUp, bool peers, CancellationToken ct)
    {
        var figures = new List<Figure>();
        var ideal = MeanRender * Math.Ceiling((double)rows / Cap);
        var modes = new (string Name, TimeSpan? RetryAfter)[] { ("exact", null), ("5 s", TimeSpan.FromSeconds(5)), ("60 s", TimeSpan.FromSeconds(60)) };
        foreach (var (mode, retryAfter) in modes)
        {
            var ways = new List<(string Way, Func<SandboxServer, ScaledTime, Task<long>> Run)>();
            // The peers never hold more than three videos, so they never meet the cap and its Retry-After:
            // they run once (the refused count printed proves it), which saves most of the scenario's time.
            if (peers && retryAfter is null)
            {
                ways.Add(("one at a time", (sandbox, time) => PeerLoops.RunAsync(sandbox.BaseAddress, rows, 1, time, ct)));
                ways.Add(("three at a time", (sandbox, time) => PeerLoops.RunAsync(sandbox.BaseAddress, rows, 3, time, ct)));
            }

            ways.Add(("BatchVideo", (sandbox, time) => RunBatchVideoAsync(sandbox, rows, time, ct)));
            foreach (var (way, run) in ways)
            {
                var time = new ScaledTime(speedUp);
                await using var sandbox = await SandboxServer.StartAsync(Account(retryAfter, time), 0, ct);
                var started = time.GetTimestamp();
                var failures = await run(sandbox, time);
                var whole = time.GetElapsedTime(started);
                // From the first create: start-up (host, JIT, pre-flight; about a second of wall-clock time)
                // does not shrink with the sped-up clock and would count 20 times over.
                var took = time.GetUtcNow() - sandbox.Videos.Min(v => v.CreatedAt);
                var stats = sandbox.Stats;
                var busy = sandbox.Videos.Sum(v => (v.FinishesAt - v.CreatedAt).TotalSeconds);
                var name = way == "BatchVideo" ? $"{way}, Retry-After {mode}" : $"{way}, any Retry-After";
                var note = FormattableString.Invariant(
                    $"{took.TotalSeconds:0} s from the first create to the end of the run ({whole.TotalSeconds:0} s with start-up) for {rows} videos (ideal {ideal.TotalSeconds:0} s), {stats.VideosCreated} created, {stats.JobLimitRefusals} refused, x{speedUp:0} clock{(failures > 0 ? $", {failures} not completed" : "")}");
                var share = 100 * ideal / took;
                figures.Add(way == "BatchVideo"
                    ? Figure.AtLeast("slots", $"{name}: share of ideal", share, "%", 100 * GoalShareOfIdeal, note)
                    : Figure.Info("slots", $"{name}: share of ideal", share, "%", note));
                figures.Add(Figure.Info("slots", $"{name}: mean slots in use", busy / took.TotalSeconds, "slots", $"of {Cap}"));
                var refusedPer100 = 100.0 * stats.JobLimitRefusals / rows;
                figures.Add(way == "BatchVideo"
                    ? Figure.AtMost("slots", $"{name}: refused creates per 100 videos", refusedPer100, "", GoalRefusedPer100)
                    : Figure.Info("slots", $"{name}: refused creates per 100 videos", refusedPer100, ""));
                if (way == "BatchVideo")
                {
                    figures.Add(Figure.AtMost("slots", $"{name}: videos paid twice", stats.VideosCreated - rows, "", 0));
                }
            }
        }

        return figures;
    }

    /// <summary>
    /// The closing case: 60 rows, fixed 30-second renders, Retry-After 5 s, BatchVideo's defaults:
    /// at most 1.2 times the ideal 180 s, at most 6 refused creates, nothing paid twice.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> RunDoneWhenAsync(double speedUp, CancellationToken ct)
    {
        const int rows = 60;
        var time = new ScaledTime(speedUp);
        var options = Account(TimeSpan.FromSeconds(5), time) with { RenderJitter = 0 };
        await using var sandbox = await SandboxServer.StartAsync(options, 0, ct);
        var startedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var notCompleted = await RunBatchVideoAsync(sandbox, rows, time, ct);
        var took = time.GetElapsedTime(started);
        var endedAt = time.GetUtcNow();
        var videos = sandbox.Videos;
        var span = (videos.Max(v => v.FinishesAt) - videos.Min(v => v.CreatedAt)).TotalSeconds;
        var busy = videos.Sum(v => (v.FinishesAt - v.CreatedAt).TotalSeconds);
        var note = FormattableString.Invariant(
            $"{took.TotalSeconds:0} s of 180 s ideal (start to first create {(videos.Min(v => v.CreatedAt) - startedAt).TotalSeconds:0} s, first create to last render {span:0} s, {busy / span:0.0} slots busy, then {(endedAt - videos.Max(v => v.FinishesAt)).TotalSeconds:0} s to the end), x{speedUp:0} clock, {notCompleted} not completed");
        return
        [
            Figure.AtMost("slots", "60 rows, 30-s renders, Retry-After 5: time / ideal", took.TotalSeconds / 180, "x", 1.2, note),
            Figure.AtMost("slots", "60 rows, 30-s renders, Retry-After 5: refused creates", sandbox.Stats.JobLimitRefusals, "", 6),
            Figure.AtMost("slots", "60 rows, 30-s renders, Retry-After 5: videos paid twice", sandbox.Stats.VideosCreated - rows, "", 0),
            Figure.AtMost("slots", "60 rows, 30-s renders, Retry-After 5: rows not completed", notCompleted, "", 0),
        ];
    }

    /// <summary>A pay-as-you-go account: cap 10, renders of 30 s +- 10 s, Retry-After as given.</summary>
    private static SandboxOptions Account(TimeSpan? retryAfter, TimeProvider time) => new()
    {
        RenderTime = MeanRender,
        RenderJitter = 1.0 / 3,
        MaxConcurrentJobs = Cap,
        JobLimitRetryAfter = retryAfter,
        TimeProvider = time,
        Seed = 5,
    };

    /// <summary>BatchVideo with its default HeyGen settings (the request rate scaled with the clock); rows not completed.</summary>
    private static async Task<long> RunBatchVideoAsync(SandboxServer sandbox, int rows, ScaledTime time, CancellationToken ct)
    {
        using var workspace = new Workspace("slots");
        var csv = workspace.WriteContacts(rows);
        // BatchVideo's defaults: only the request rate, which is per wall-clock second, is sped up with the clock.
        var configuration = InProcessRun.Configuration(workspace, sandbox.BaseAddress, new PipelineSettings { RequestsPerSecond = 5 * time.SpeedUp });
        foreach (var tuned in new[] { "HeyGen:PollInterval", "HeyGen:MaxConcurrency", "HeyGen:MaxRetries", "HeyGen:AttemptTimeout" })
        {
            configuration.Remove(tuned);
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddBatchVideo(builder.Configuration, workspace.Path);
        using var host = builder.Build();
        await host.StartAsync(ct);
        var runner = host.Services.GetRequiredService<CampaignRunner>();
        var prepared = await host.Services.GetRequiredService<CampaignLoader>().PrepareAsync(new RunRequest(null, null, (key, columns) => CsvContactSource.Open(csv, key, columns)), ct);
        var summary = await runner.RunAsync(prepared, new RunProgress(), ct);
        await host.StopAsync(CancellationToken.None);
        Debug.Assert(summary.Read == rows, "every row read");
        return rows - summary.Completed;
    }
}
