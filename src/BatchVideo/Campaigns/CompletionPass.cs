using BatchVideo.Reports;
using BatchVideo.WriteBack;

namespace BatchVideo.Campaigns;

/// <summary>
/// One pass over a table campaign's videos in flight, what the completion job runs: each is asked for its
/// status once, finished ones are recorded, a download campaign's missing files are stored, and every result
/// is written back once.
/// </summary>
public sealed class CompletionPass(RunStages stages, ReportWriter reports, LinkRefresher links, TimeProvider time)
{
    /// <param name="poll">False when webhooks report the videos: the pass only writes back what the ledger holds.</param>
    public async Task<RunSummary> RunAsync(PreparedRun run, bool poll, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        var progress = new RunProgress();
        var started = time.GetTimestamp();
        using var control = new RunControl(ct);
        using var report = reports.Begin(run.Campaign, "completion", run.Source.Columns);
        var state = stages.Begin(run, progress, control, report, sends: false, writesFailed: false);
        if (poll)
        {
            await stages.TableFeeder(state).FollowEarlierAsync();
            await state.Follower.RunAsync(Task.CompletedTask, ct, singlePass: true);
        }

        if (WriteBackLink.StoresFiles(run.Options))
        {
            // Webhooks record a video without fetching its file: store what is still missing before the write-back.
            await links.RenewAsync(run, TimeSpan.Zero, ct);
        }

        var writtenTo = await stages.WriteBack().WriteAsync(run, control);
        return RunSummaries.Of(run, progress, RunMode.Run, writtenTo, control.StoppedBecause, time.GetElapsedTime(started), [.. progress.Problems]);
    }
}
