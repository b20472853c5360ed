using System.Threading.Channels;
using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using BatchVideo.Reports;
using BatchVideo.Scripts;
using BatchVideo.Sources;
using BatchVideo.Sources.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// Drives one campaign run: rows flow from the source through rendering and the ledger to HeyGen,
/// videos are followed to the end, and the ledger's results are written back to the source.
/// </summary>
public sealed partial class CampaignRunner(
    CampaignLoader loader,
    LedgerStore ledger,
    HeyGenClient heyGen,
    Links.VideoStorage storage,
    CampaignPreflight preflight,
    ReportWriter reports,
    IOptions<BatchVideoOptions> options,
    IOptions<HeyGenOptions> heyGenOptions,
    IOptions<LedgerOptions> ledgerOptions,
    TimeProvider time,
    ILogger<CampaignRunner> logger)
{
    /// <summary>Prepares a campaign (<see cref="CampaignLoader.PrepareAsync"/>), for callers that hold a runner.</summary>
    public Task<PreparedRun> PrepareAsync(RunRequest request, CancellationToken ct) => loader.PrepareAsync(request, ct);

    public async Task<RunSummary> RunAsync(PreparedRun run, RunProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var plan = run.Plan;
        using var report = reports.Begin(run.Campaign, plan.Sends ? "run" : "dry-run", run.Source.Columns);
        using var state = NewRunState(run, progress, stop, report, watchLedger: plan.Sends, rejectFailed: true);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = plan.Sends ? WatchSlotsAsync(state.Slots, watching.Token) : Task.CompletedTask;
        if (run.Request.SubmitUntil is { } until)
        {
            state.HaltAt(until, time);
        }

        LogStarting(logger, run.Campaign, run.Source.Name);
        var runId = Guid.NewGuid().ToString("N");
        if (plan.Sends)
        {
            await ledger.RecordRunStartedAsync(runId, run.Campaign, state.Holder, ct);
        }

        var queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(heyGenOptions.Value.MaxConcurrency * 4)
        {
            SingleWriter = true,
        });
        // A dry run claims nothing, so even a table is only read and classified, like a file.
        var produce = plan.ClaimsTable
            ? Task.Run(() => ProduceFromTableAsync(state, (ITableSource)run.Source, queue.Writer), CancellationToken.None)
            : Task.Run(() => ProduceAsync(state, queue.Writer), CancellationToken.None);
        var submit = SubmitAllAsync(state, queue.Reader);
        var submissions = Task.WhenAll(produce, submit);
        var reading = produce.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        var submitting = submissions.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        if (plan.Follows != FollowMode.None)
        {
            // --no-wait (and serve's campaign job) follow only while creates wait for a render slot; a ledger
            // that cannot be written ends the following too.
            using var following = CancellationTokenSource.CreateLinkedTokenSource(ct, state.LedgerLostToken);
            await state.Follower.RunAsync(submissions, following.Token, untilSubmitted: plan.Follows == FollowMode.WhileSending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await submissions.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if ((state.LedgerLost ?? produce.Exception?.InnerException as LedgerUnavailableException) is { } unavailable)
        {
            // Nothing more can be recorded (not the run's end, not the written-back rows): the sentence is the outcome.
            await watching.CancelAsync();
            await watch;
            throw unavailable;
        }
        if (state.Left is { } left && SpendCheck.Shortfall(run, left, SpendCheck.Priced(state, progress.Estimate(run.Options)), logger) is { } shortfall)
        {
            state.StoppedBeforeAnyCreate = true;
            state.Stop(shortfall);
        }

        await ReturnUnsentClaimsAsync(state);
        await watching.CancelAsync();
        await watch;
        if (produce.Exception?.InnerException is { } readFailure and not OperationCanceledException)
        {
            state.Stop($"reading {run.Source.Name} failed: {readFailure.Message}");
        }

        if (ct.IsCancellationRequested)
        {
            state.Stop("the run was cancelled; videos in flight stay recorded and a rerun follows them");
        }

        await CollectReviewAsync(state);
        await new CaptionCatchUp(ledger, heyGen, heyGenOptions.Value, time).RunAsync(run.Campaign, state.Follower, progress, ct);
        var writtenTo = plan.WritesBack ? await WriteBackAsync(state) : null;
        if (plan.Sends)
        {
            await ledger.RecordRunFinishedAsync(
                runId,
                new RunCounts(progress.Read, progress.Rejected, progress.Submitted, progress.Completed, progress.Failed, state.StoppedBecause),
                CancellationToken.None);
        }

        var summary = new RunSummary(
            run.Campaign,
            run.Source.Name,
            progress.Read,
            progress.Rejected,
            progress.AlreadyDone,
            progress.Submitted,
            progress.Completed,
            progress.Failed,
            progress.Deferred,
            progress.Rendering,
            [.. progress.Problems.OrderBy(p => p.Line)],
            writtenTo,
            state.StoppedBecause,
            time.GetElapsedTime(started))
        {
            StoppedBeforeAnyCreate = state.StoppedBeforeAnyCreate,
            Halted = state.Halted,
            Sample = await SampleOutcomeAsync(run),
            Mode = plan.Mode,
            // The batch's figure: the pre-flight's (every row this run was to send, a sample's whole batch
            // too) when it priced one, else what this run's own pass submitted (a dry run: would submit).
            Estimate = plan.Sends && state.Estimate is { } batch ? batch : SpendCheck.Priced(state, progress.Estimate(run.Options)),
            Timings = new RunTimings(await reading, await submitting),
            InProgressElsewhere = progress.InProgressElsewhere,
            OutcomeUnknown = progress.OutcomeUnknown,
            PageLinksWritten = writtenTo is not null && run.Options.UrlField == Links.UrlField.Page && progress.Completed + progress.AlreadyDone > 0,
        };
        foreach (var problem in summary.Problems)
        {
            report.Count(problem);
        }

        return await report.CompleteAsync(summary, CancellationToken.None);
    }

    /// <summary>
    /// A failed row's line in the rejects file, written when it fails. A video an earlier table run left
    /// rendering has no row at hand: its row is fetched by key (a file run reads every row it follows).
    /// </summary>
    private async Task RejectFailedAsync(RunState state, string key, SourceRow? row, RowReport problem)
    {
        try
        {
            if (row is null && state.Run.Source is ITableSource table)
            {
                row = await table.FetchAsync([key], CancellationToken.None) is [var fetched, ..] ? fetched : null;
            }

            if (row is not null)
            {
                state.Report.Rejects.Add(row, problem);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException or System.Data.Common.DbException)
        {
            LogReportFailed(logger, e, state.Run.Campaign);
        }
    }

    private async Task ProduceAsync(RunState state, ChannelWriter<Submission> queue)
    {
        var pageTexts = state.Run.PageTexts is { } texts && state.Plan.Sends ? new Pages.PageTextRecorder(texts, ledger, state.Run.Campaign) : null;
        try
        {
            await foreach (var verdict in new RowClassifier(state.Run, ledger, time, state.Holder).ClassifyAsync(state.Token))
            {
                if (pageTexts is not null && verdict is { Fate: RowFate.AlreadyDone or RowFate.Rendering or RowFate.Ready, Key: { } pageKey })
                {
                    await pageTexts.AddAsync(pageKey, verdict.Row.Values, state.Token);
                }

                if (state.Halted || state.Run.Gate is { IsFull: true, Refusal: null })
                {
                    break;
                }

                state.Progress.OnRead();
                if (state.FirstRows.Count < state.Report.ReviewRowLimit)
                {
                    state.FirstRows.Add(verdict.Row);
                }

                switch (verdict)
                {
                    case { Fate: RowFate.Rejected, Problem: { } problem }:
                        Reject(state, problem);
                        state.Report.Rejects.Add(verdict.Row, problem);
                        break;
                    case { Fate: RowFate.AlreadyDone }:
                        state.Progress.OnAlreadyDone();
                        break;
                    case { Fate: RowFate.Rendering, Key: { } key, Entry: { VideoId: { } videoId } entry }:
                        state.Progress.OnRendering();
                        if (state.Plan.Follows != FollowMode.None)
                        {
                            state.Follower.Add(key, videoId, verdict.Row.Line, submittedAt: entry.SubmittedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null, row: verdict.Row);
                        }

                        break;
                    case { Fate: RowFate.FailedEarlier, Problem: { } problem }:
                        state.Progress.OnFailed(problem);
                        state.Report.Rejects.Add(verdict.Row, problem);
                        break;
                    case { Fate: RowFate.InProgressElsewhere, Problem: { } problem }:
                        state.Progress.OnInProgressElsewhere(problem);
                        break;
                    case { Fate: RowFate.Ready, Key: { } key, Rendered: { } rendered }:
                        if (await AdmitAsync(state, key, verdict.Entry))
                        {
                            await queue.WriteAsync(new Submission(verdict.Row.Line, key, rendered, verdict.Entry) { Row = verdict.Row }, state.Token);
                        }

                        break;
                    default:
                        // Every verdict is counted: a fate without a case here would vanish from the summary.
                        throw new InvalidOperationException($"Line {verdict.Row.Line}: no handling for the verdict {verdict.Fate}.");
                }
            }

            await (pageTexts?.FlushAsync(state.Token) ?? Task.CompletedTask);
            state.ReadToEnd = !state.Token.IsCancellationRequested;
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private Task SubmitAllAsync(RunState state, ChannelReader<Submission> queue)
    {
        var submitter = new VideoSubmitter(ledger, heyGen, heyGenOptions.Value, ledgerOptions.Value.ClaimLease, time, logger);
        var checkedOnce = new Lazy<Task>(() => PreflightAsync(state), LazyThreadSafetyMode.ExecutionAndPublication);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = heyGenOptions.Value.MaxConcurrency,
            CancellationToken = state.Token,
        };
        return Parallel.ForEachAsync(queue.ReadAllAsync(state.Token), parallel, async (submission, _) =>
        {
            await checkedOnce.Value;
            if (state.Token.IsCancellationRequested || state.Halted)
            {
                return;
            }

            if (state.RefusedChoices?.Refusal(submission) is { } refused)
            {
                await RejectChoiceAsync(state, submission, refused);
                return;
            }

            if (!state.Plan.Sends)
            {
                state.Progress.OnSubmitted(SpokenLength.Of(submission.Rendered.Script!));
                return;
            }

            try
            {
                await submitter.SubmitAsync(state, submission);
            }
            catch (LedgerUnavailableException e)
            {
                state.LoseLedger(e);
            }
        });
    }

    /// <param name="rejectFailed">Failed rows go to the rejects file as they fail (a run; not the completion pass).</param>
    private RunState NewRunState(PreparedRun run, RunProgress progress, CancellationTokenSource stop, ReportSession report, bool watchLedger = false, bool rejectFailed = false)
    {
        RunState? running = null;
        var slots = new RenderSlots(heyGenOptions.Value.MaxConcurrentJobs, time, awaitLedger: watchLedger);
        progress.Slots = slots;
        var breaker = new FailureBreaker(heyGenOptions.Value.CircuitBreakerFailures, reason => running!.Halt(reason));
        Func<string, SourceRow?, RowReport, Task> reject = rejectFailed ? (key, row, problem) => RejectFailedAsync(running!, key, row, problem) : (_, _, _) => Task.CompletedTask;
        var follower = new VideoFollower(ledger, heyGen, storage, heyGenOptions.Value, time, logger, run.Campaign, progress, breaker, slots, reject)
        {
            AwaitsCaptions = run.Options.Captions && run.Options.Type == VideoTypes.Avatar && run.Options.Columns.Captions is not null,
            LedgerLost = e => running!.LoseLedger(e),
        };
        return running = new RunState(run, progress, stop, follower, breaker, report, slots) { RejectFailed = reject };
    }

    /// <summary>Keeps the slots' view of the account's videos in flight (other runs, other machines) current.</summary>
    private Task WatchSlotsAsync(RenderSlots slots, CancellationToken ct)
    {
        var every = RenderSlots.LedgerLookInterval(heyGenOptions.Value.PollInterval);
        return Task.Run(() => slots.WatchAsync(ledger.CountInFlightAsync, every, ct), CancellationToken.None);
    }

    /// <summary>A wrong avatar, voice or key, or too little credit, stops the run here, before the first paid create.</summary>
    private async Task PreflightAsync(RunState state)
    {
        var campaign = state.Run.Options;
        if (await preflight.CheckAsync(campaign, state.Token) is { } failure)
        {
            state.StoppedBeforeAnyCreate = true;
            state.Stop(failure.Reason);
            return;
        }

        try
        {
            if (state.Run.Choices is { ChoosesLookOrVoice: true })
            {
                await CheckRowChoicesAsync(state);
            }

            if (await new SpendCheck(preflight, ledger, time, logger).ShortfallAsync(state) is { } shortfall)
            {
                state.StoppedBeforeAnyCreate = true;
                state.Stop(shortfall);
            }
        }
        catch (HeyGenApiException e) when (e.Disposition != ErrorDisposition.Retry)
        {
            state.StoppedBeforeAnyCreate = true;
            state.Stop($"pre-flight check failed, nothing was sent: {e.Message}");
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            state.StoppedBeforeAnyCreate = true;
            state.Stop($"HeyGen could not be reached for the pre-flight check, nothing was sent: {e.Message}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, no create has been sent yet: stop here rather than let every submitter fail.
            state.StoppedBeforeAnyCreate = true;
            state.Stop($"the pre-flight check failed, nothing was sent: {e.Message}");
        }
    }

    private Task<string?> WriteBackAsync(RunState state) => new RunWriteBack(ledger, options.Value.Storage, logger).WriteAsync(state);

    private void Reject(RunState state, RowReport problem)
    {
        LogRejected(logger, state.Run.Source.Name, problem.Line, problem.Key, problem.Reason);
        state.Progress.OnRejected(problem);
    }

    // Debug: the summary names the campaign and source (serve logs each firing itself).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {Campaign}: reading {Source}")]
    private static partial void LogStarting(ILogger logger, string campaign, string source);

    // Debug: one line per row; the summary and the rejects file list every rejected row.
    [LoggerMessage(Level = LogLevel.Debug, Message = "{Source} line {Line} (key {Key}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string source, long line, string? key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed rows of campaign {Campaign} could not all be added to the rejects file")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string campaign);
}
