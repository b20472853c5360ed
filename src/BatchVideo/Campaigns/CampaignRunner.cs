using System.Threading.Channels;
using BatchVideo.Ledger;
using BatchVideo.Reports;
using BatchVideo.Sources.Tables;
using BatchVideo.WriteBack;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>
/// Drives one campaign run, and only drives it (Quartz's <c>JobRunShell</c>: the shell owns the life cycle,
/// the stages are given to it): a feeder reads or claims the rows, the pre-flight returns what the account
/// allows, submitters send, the follower follows, the write-back writes, and the counters become the summary.
/// </summary>
public sealed partial class CampaignRunner(RunStages stages, ReportWriter reports, TimeProvider time, ILogger<CampaignRunner> logger)
{
    private LedgerStore Ledger => stages.Ledger;

    public async Task<RunSummary> RunAsync(PreparedRun run, RunProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var started = time.GetTimestamp();
        var plan = run.Plan;
        using var control = new RunControl(ct);
        using var report = reports.Begin(run.Campaign, plan.Sends ? "run" : "dry-run", run.Source.Columns);
        var state = stages.Begin(run, progress, control, report, plan.Sends, writesFailed: true);
        if (run.Request.SubmitUntil is { } until)
        {
            control.HaltAt(until, time);
        }

        LogStarting(logger, run.Campaign, run.Source.Name);
        var runId = Guid.NewGuid().ToString("N");
        if (plan.Sends)
        {
            await Ledger.RecordRunStartedAsync(runId, run.Campaign, state.Holder, ct);
        }

        var sent = await SendAndFollowAsync(state, started, ct);
        await RunReview.CollectAsync(state, sent.Feed, Ledger, logger);
        await stages.CaptionCatchUp().RunAsync(run.Campaign, state.Follower, progress, ct);
        var writtenTo = plan.WritesBack ? await stages.WriteBack().WriteAsync(run, control) : null;
        if (plan.Sends)
        {
            var counts = new RunCounts(progress.Read, progress.Rejected, progress.Submitted, progress.Completed, progress.Failed, control.StoppedBecause);
            await Ledger.RecordRunFinishedAsync(runId, counts, CancellationToken.None);
        }

        var summary = Summarize(state, sent, writtenTo, time.GetElapsedTime(started)) with { Sample = await SampleOutcomes.RecordAsync(run, Ledger) };
        foreach (var problem in summary.Problems)
        {
            report.Count(problem);
        }

        return await report.CompleteAsync(summary, CancellationToken.None);
    }

    /// <summary>What the sending part of a run returns: the feed, the pre-flight's outcome, and how long reading and sending took.</summary>
    private sealed record Sent(FeedResult Feed, PreflightOutcome Preflight, RunTimings Timings);

    /// <summary>
    /// Feeds the rows to the submitters and follows the videos while they are sent (until every video is
    /// finished, unless the plan says otherwise); then settles what the sending leaves: a lost ledger ends the
    /// run here, a dry run compares its own estimate with what the account has left, a halted table run hands
    /// its unsent claims back, and a failed read or a cancel stops the run with its reason.
    /// </summary>
    private async Task<Sent> SendAndFollowAsync(RunState state, long started, CancellationToken ct)
    {
        var (run, plan, control) = (state.Run, state.Plan, state.Control);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = plan.Sends ? stages.WatchSlotsAsync(state.Slots, watching.Token) : Task.CompletedTask;
        var queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(stages.HeyGen.MaxConcurrency * 4) { SingleWriter = true });
        // A dry run claims nothing, so even a table is only read and classified, like a file.
        var feed = plan.ClaimsTable
            ? Task.Run(() => stages.TableFeeder(state).FeedAsync((ITableSource)run.Source, queue.Writer), CancellationToken.None)
            : Task.Run(() => stages.Feeder(state).FeedAsync(queue.Writer), CancellationToken.None);
        var preflight = new Lazy<Task<PreflightOutcome>>(() => PreflightAsync(state), LazyThreadSafetyMode.ExecutionAndPublication);
        var submissions = Task.WhenAll(feed, SubmitAllAsync(state, queue.Reader, preflight));
        var reading = feed.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        var submitting = submissions.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        if (plan.Follows != FollowMode.None)
        {
            // --no-wait (and serve's campaign job) follow only while creates wait for a render slot; a ledger
            // that cannot be written ends the following too.
            using var following = CancellationTokenSource.CreateLinkedTokenSource(ct, control.LedgerLostToken);
            await state.Follower.RunAsync(submissions, following.Token, untilSubmitted: plan.Follows == FollowMode.WhileSending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await submissions.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var checkedPrice = preflight is { IsValueCreated: true, Value.IsCompletedSuccessfully: true } ? preflight.Value.Result : PreflightOutcome.Assumed(run);
        try
        {
            if ((control.LedgerLost ?? feed.Exception?.InnerException as LedgerUnavailableException) is { } unavailable)
            {
                // Nothing more can be recorded (not the run's end, not the written-back rows): the sentence is the outcome.
                throw unavailable;
            }

            if (checkedPrice.Left is { } left && SpendCheck.Shortfall(run, left, checkedPrice.Priced(state.Progress.Estimate(run.Options)), logger) is { } shortfall)
            {
                control.StopBeforeAnyCreate(shortfall);
            }

            await stages.TableFeeder(state).ReturnUnsentClaimsAsync();
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }

        if (feed.Exception?.InnerException is { } readFailure and not OperationCanceledException)
        {
            control.Stop($"reading {run.Source.Name} failed: {readFailure.Message}");
        }

        if (ct.IsCancellationRequested)
        {
            control.Stop("the run was cancelled; videos in flight stay recorded and a rerun follows them");
        }

        return new Sent(feed.IsCompletedSuccessfully ? feed.Result : FeedResult.None, checkedPrice, new RunTimings(await reading, await submitting));
    }

    private Task SubmitAllAsync(RunState state, ChannelReader<Submission> queue, Lazy<Task<PreflightOutcome>> preflight)
    {
        var submitter = stages.Submitter();
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = stages.HeyGen.MaxConcurrency,
            CancellationToken = state.Token,
        };
        return Parallel.ForEachAsync(queue.ReadAllAsync(state.Token), parallel, async (submission, _) =>
        {
            var checkedPrice = await preflight.Value;
            if (state.Token.IsCancellationRequested || state.Halted)
            {
                return;
            }

            if (checkedPrice.Refused?.Refusal(submission) is { } refused)
            {
                await RejectChoiceAsync(state, submission, refused);
                return;
            }

            if (!state.Plan.Sends)
            {
                state.Progress.OnWouldSubmit(SpokenLength.Of(submission.Rendered.Script!));
                return;
            }

            try
            {
                await submitter.SubmitAsync(state, submission, checkedPrice);
            }
            catch (LedgerUnavailableException e)
            {
                state.Control.LoseLedger(e);
            }
        });
    }

    /// <summary>Asked once, before the first create: a refusal stops the run with nothing sent.</summary>
    private async Task<PreflightOutcome> PreflightAsync(RunState state)
    {
        var outcome = await stages.Preflight().CheckAsync(state.Run, state.Holder, state.Token);
        if (outcome.StopReason is { } reason)
        {
            state.Control.StopBeforeAnyCreate(reason);
        }

        return outcome;
    }

    private async Task RejectChoiceAsync(RunState state, Submission submission, RowProblem problem)
    {
        state.Rejects.Rejected(problem, submission.Row);
        // A table row this worker claimed is handed back as rejected, as a row that does not render is.
        if (submission.Entry is { State: LedgerState.Claimed } && !state.Run.Request.DryRun)
        {
            await Ledger.MarkRejectedAsync(state.Run.Campaign, submission.Key, state.Holder, problem.Reason, CancellationToken.None);
        }
    }

    private static RunSummary Summarize(RunState state, Sent sent, string? writtenTo, TimeSpan elapsed)
    {
        var (run, progress, control) = (state.Run, state.Progress, state.Control);
        return RunSummaries.Of(run, progress, state.Plan.Mode, writtenTo, control.StoppedBecause, elapsed, [.. progress.Problems.OrderBy(p => p.Line)]) with
        {
            StoppedBeforeAnyCreate = control.StoppedBeforeAnyCreate,
            Halted = control.Halted,
            // The batch's figure: the pre-flight's (every row this run was to send, a sample's whole batch
            // too) when it priced one, else what this run's own pass submitted (a dry run: would submit).
            Estimate = state.Plan.Sends && sent.Preflight.Estimate is { } batch ? batch : sent.Preflight.Priced(progress.Estimate(run.Options)),
            Timings = sent.Timings,
            PageLinksWritten = writtenTo is not null && WriteBackLink.WritesPageLinks(run.Options) && progress.Completed + progress.AlreadyDone > 0,
        };
    }

    // Debug: the summary names the campaign and source (serve logs each firing itself).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {Campaign}: reading {Source}")]
    private static partial void LogStarting(ILogger logger, string campaign, string source);
}
