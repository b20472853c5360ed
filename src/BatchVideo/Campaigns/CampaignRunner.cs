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
    // HeyGen keeps an Idempotency-Key for 24 hours; past this age a replay could create a second
    // video, so an unanswered create is first looked for by its title marker.
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromHours(23);

    /// <summary>How long a create already sent may still take once the run is asked to stop.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>Checks everything that can be checked before a request is sent. Throws on a fatal problem.</summary>
    public async Task<PreparedRun> PrepareAsync(RunRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (name, campaign) = options.Value.Resolve(request.Campaign);
        var keyColumn = request.KeyColumn ?? campaign.KeyColumn;
        var script = ScriptTemplate.Load(campaign.Template);
        var title = campaign.TitleTemplate is { Length: > 0 } text
            ? ScriptTemplate.Parse(text, $"Campaigns:{name}:TitleTemplate")
            : null;
        var source = request.OpenSource is not null
            ? request.OpenSource(keyColumn, campaign.Columns)
            : await OpenTableAsync(name, campaign, keyColumn, ct);
        var renderer = new ScriptRenderer(script, title, source.Columns, campaign.OptionalColumns);
        var unknown = renderer.UnknownVariables();
        if (unknown.Count > 0)
        {
            throw new ConfigurationException(
                $"{string.Join(", ", unknown.Select(v => $"'{v}'"))} used by {campaign.Template} {(unknown.Count == 1 ? "is" : "are")} not a column of {source.Name}. Its columns are: {string.Join(", ", source.Columns)}.");
        }

        if (request.MaxCredits is { } budget && (!(budget > 0) || campaign.CreditsPerMinute <= 0))
        {
            throw new ConfigurationException(budget > 0
                ? $"--max-credits needs a price: set Campaigns:{name}:CreditsPerMinute above 0."
                : "--max-credits must be a number above 0.");
        }

        var hasLedger = true;
        if (request.DryRun)
        {
            // A dry run changes nothing: no migration, and no ledger file where there was none.
            hasLedger = await ledger.StatusAsync(ct) switch
            {
                LedgerStatus.Current => true,
                LedgerStatus.Absent => false,
                _ => throw new ConfigurationException(
                    "The ledger was made by an older BatchVideo and needs an upgrade that a dry run does not make; one normal run applies it."),
            };
        }
        else
        {
            await ledger.MigrateAsync(ct);
        }

        return new PreparedRun(name, campaign, source, renderer, request) { HasLedger = hasLedger, Gate = await GateAsync(name, campaign, request, ct) };
    }

    public async Task<RunSummary> RunAsync(PreparedRun run, RunProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var report = reports.Begin(run.Campaign, run.Request.DryRun ? "dry-run" : "run", run.Source.Columns);
        RunState? running = null;
        var breaker = new FailureBreaker(heyGenOptions.Value.CircuitBreakerFailures, reason => running!.Halt(reason));
        var state = running = new RunState(run, progress, stop, new VideoFollower(this, run.Campaign, progress, breaker), breaker, report);
        LogStarting(logger, run.Campaign, run.Source.Name);
        var runId = Guid.NewGuid().ToString("N");
        if (!run.Request.DryRun)
        {
            await ledger.RecordRunStartedAsync(runId, run.Campaign, state.Holder, ct);
        }

        var queue = Channel.CreateBounded<Submission>(new BoundedChannelOptions(heyGenOptions.Value.MaxConcurrency * 4)
        {
            SingleWriter = true,
        });
        // A dry run claims nothing, so even a table is only read and classified, like a file.
        var produce = run.Source is ITableSource table && run.Request.OpenSource is null && !run.Request.DryRun
            ? Task.Run(() => ProduceFromTableAsync(state, table, queue.Writer), CancellationToken.None)
            : Task.Run(() => ProduceAsync(state, queue.Writer), CancellationToken.None);
        var submit = SubmitAllAsync(state, queue.Reader);
        var submissions = Task.WhenAll(produce, submit);
        var reading = produce.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        var submitting = submissions.ContinueWith(_ => time.GetElapsedTime(started), TaskScheduler.Default);
        if (!run.Request.NoWait && !run.Request.DryRun)
        {
            await state.Follower.RunAsync(submissions, heyGenOptions.Value, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await submissions.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (produce.Exception?.InnerException is { } readFailure and not OperationCanceledException)
        {
            state.Stop($"reading {run.Source.Name} failed: {readFailure.Message}");
        }

        if (ct.IsCancellationRequested)
        {
            state.Stop("the run was cancelled; videos in flight stay recorded and a rerun follows them");
        }

        // Before write-back, while the source still reads as it did: failed rows join the rejects file.
        await AddFailedRowsToRejectsAsync(state);
        await CollectReviewAsync(state);
        var writtenTo = run.Request.DryRun ? null : await WriteBackAsync(state);
        if (!run.Request.DryRun)
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
            Mode = run.Request.DryRun ? RunMode.DryRun : RunMode.Run,
            Estimate = new VideoEstimate(progress.Submitted, progress.Words, run.Options.WordsPerMinute, run.Options.CreditsPerMinute),
            Timings = new RunTimings(await reading, await submitting),
            InProgressElsewhere = progress.InProgressElsewhere,
        };
        foreach (var problem in summary.Problems)
        {
            report.Count(problem);
        }

        return await report.CompleteAsync(summary, CancellationToken.None);
    }

    /// <summary>
    /// Rows that failed after they were read (refused by HeyGen, render failed, failed earlier) are
    /// found again by key in one more pass over the source, so the rejects file has their values
    /// without the run holding every row in memory.
    /// </summary>
    private async Task AddFailedRowsToRejectsAsync(RunState state)
    {
        var failed = state.Progress.Problems
            .Where(p => p.Outcome == RowOutcome.Failed && p.Key is not null)
            .GroupBy(p => p.Key!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        if (failed.Count == 0)
        {
            return;
        }

        var source = state.Run.Source;
        var keyIndex = RowClassifier.KeyIndex(source);
        try
        {
            await foreach (var row in source.ReadRowsAsync(CancellationToken.None))
            {
                if (row.Problem is null && failed.Remove(row.Key(keyIndex), out var problem))
                {
                    state.Report.Rejects.Add(row, problem);
                    if (failed.Count == 0)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException)
        {
            LogReportFailed(logger, e, state.Run.Campaign);
        }
    }

    private async Task ProduceAsync(RunState state, ChannelWriter<Submission> queue)
    {
        try
        {
            await foreach (var verdict in new RowClassifier(state.Run, ledger, time, state.Holder).ClassifyAsync(state.Token))
            {
                if (state.Halted || state.Run.Gate is { IsFull: true, Refusal: null })
                {
                    break;
                }

                state.Progress.OnRead();
                switch (verdict)
                {
                    case { Fate: RowFate.Rejected, Problem: { } problem }:
                        Reject(state, problem);
                        state.Report.Rejects.Add(verdict.Row, problem);
                        break;
                    case { Fate: RowFate.AlreadyDone }:
                        state.Progress.OnAlreadyDone();
                        break;
                    case { Fate: RowFate.Rendering, Key: { } key, Entry.VideoId: { } videoId }:
                        state.Progress.OnFollowing();
                        if (!state.Run.Request.DryRun)
                        {
                            state.Follower.Add(key, videoId, verdict.Row.Line);
                        }

                        break;
                    case { Fate: RowFate.FailedEarlier, Problem: { } problem }:
                        state.Progress.OnFailed(problem);
                        break;
                    case { Fate: RowFate.InProgressElsewhere, Problem: { } problem }:
                        state.Progress.OnInProgressElsewhere(problem);
                        break;
                    case { Fate: RowFate.Ready, Key: { } key, Rendered: { } rendered }:
                        if (await AdmitAsync(state, key, verdict.Entry))
                        {
                            await queue.WriteAsync(new Submission(verdict.Row.Line, key, rendered, verdict.Entry), state.Token);
                        }

                        break;
                    default:
                        // Every verdict is counted: a fate without a case here would vanish from the summary.
                        throw new InvalidOperationException($"Line {verdict.Row.Line}: no handling for the verdict {verdict.Fate}.");
                }
            }
        }
        finally
        {
            queue.TryComplete();
        }
    }

    private Task SubmitAllAsync(RunState state, ChannelReader<Submission> queue)
    {
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

            if (state.Run.Request.DryRun)
            {
                state.Progress.OnSubmitted(VideoEstimate.CountWords(submission.Rendered.Script!));
                return;
            }

            await SubmitAsync(state, submission);
        });
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
            if (campaign.CreditsPerMinute > 0 && await QuotaShortfallAsync(state) is { } shortfall)
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

    /// <summary>
    /// Prices the rows this run would send and compares them with what the account has left; the
    /// shortfall as a message, or null when it covers them (or the account reports no limit).
    /// </summary>
    private async Task<string?> QuotaShortfallAsync(RunState state)
    {
        var run = state.Run;
        var estimate = await CreditEstimate.OfRunAsync(run, ledger, time, state.Holder, state.Token);
        state.Estimate = estimate;
        var (remaining, unit) = (await heyGen.GetUserAsync(state.Token)).Remaining();
        var needed = Math.Min(estimate.Credits, run.Request.MaxCredits ?? double.MaxValue);
        LogQuota(logger, estimate.Videos, estimate.Credits, remaining, unit);
        if (remaining is not { } left || left >= needed)
        {
            return null;
        }

        var capped = needed < estimate.Credits ? $" (capped by --max-credits {run.Request.MaxCredits:0.##})" : "";
        return $"pre-flight: the account has {left:0.##} {unit} left, but the {estimate.Videos} videos to send need about {needed:0.##} {unit}{capped} "
            + $"({estimate.Minutes:0.#} minutes at {run.Options.WordsPerMinute:0} words a minute, {run.Options.CreditsPerMinute:0.##} {unit} a minute). "
            + "Nothing was sent: top up, send part of the batch with --max-credits, or correct Campaigns:<name>:CreditsPerMinute.";
    }

    private async Task SubmitAsync(RunState state, Submission submission)
    {
        var run = state.Run;
        var campaign = run.Campaign;
        var key = submission.Key;
        if (run.Request.MaxCredits is { } budget && !state.TryReserve(CreditEstimate.CreditsOf(submission.Rendered.Script!, run.Options), budget))
        {
            var notSent = state.Estimate is { } estimate ? $"{Math.Max(0, estimate.Videos - state.ReservedVideos)} rows not sent" : "rows not sent";
            state.Halt($"--max-credits {budget:0.##} reached (estimated spend {state.Reserved:0.##}); {notSent} stay pending, and a rerun continues with them.");
            return;
        }

        var marker = RecipientIdentity.Marker(campaign, key);
        var idempotencyKey = await ClaimAsync(state, submission, marker);
        if (idempotencyKey is null)
        {
            return;
        }

        var request = run.CreateRequest(key, submission.Rendered, heyGenOptions.Value.CallbackUrl);

        VideoCreated created;
        // A stop (SIGTERM, Ctrl+C, a fatal error elsewhere) lets a create already on its way finish and be
        // recorded, within a grace period; only then is it abandoned (and replayed by the next run).
        using var grace = new CancellationTokenSource();
        await using var onStop = state.Token.Register(() => grace.CancelAfter(StopGrace));
        try
        {
            created = await heyGen.CreateVideoAsync(request, idempotencyKey, grace.Token);
        }
        catch (HeyGenApiException e) when (e.Disposition == ErrorDisposition.FailRow)
        {
            await ledger.MarkFailedAsync(campaign, key, null, e.Code, e.ApiMessage, CancellationToken.None);
            state.Progress.OnFailed(new RowReport(RowOutcome.Failed, submission.Line, key, e.Param, e.Message) { Code = e.Code });
            state.Breaker.OnFailure(e.Code, e.ApiMessage);
            return;
        }
        catch (HeyGenApiException e) when (e.Disposition == ErrorDisposition.StopBatch)
        {
            // HeyGen refused without creating anything: forget the claim so the row stays pending.
            await ledger.ReleaseAsync(campaign, key, CancellationToken.None);
            state.Stop($"HeyGen refused the batch: {e.Message}");
            return;
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException
                                  || (e is OperationCanceledException && grace.IsCancellationRequested))
        {
            // The create may or may not have reached HeyGen; the entry stays "submitting" and the next
            // run replays it with the same Idempotency-Key, which cannot create a second video.
            state.Progress.OnDeferred(new RowReport(
                RowOutcome.Deferred, submission.Line, key, null,
                e is OperationCanceledException ? "interrupted before HeyGen answered; a rerun resumes it" : $"no answer after retries ({e.Message}); a rerun resumes it")
            {
                Code = e is OperationCanceledException ? "interrupted" : "no_answer",
            });
            return;
        }

        // Paid for: record it whatever happens to the run's token.
        await ledger.MarkSubmittedAsync(campaign, key, created.VideoId, created.Status, CancellationToken.None);
        LogSubmitted(logger, key, created.VideoId);
        state.Progress.OnSubmitted(VideoEstimate.CountWords(request.Script));
        state.Progress.OnFollowing();
        state.Follower.Add(key, created.VideoId, submission.Line);
    }

    /// <summary>Claims the row in the ledger and picks the Idempotency-Key; null when the row must not be sent.</summary>
    private async Task<string?> ClaimAsync(RunState state, Submission submission, string marker)
    {
        var campaign = state.Run.Campaign;
        var key = submission.Key;
        var entry = submission.Entry;
        if (entry is null)
        {
            var first = RecipientIdentity.NextIdempotencyKey(campaign, key, entry);
            if (await ledger.TryBeginSubmissionAsync(campaign, key, first, marker, CancellationToken.None))
            {
                return first;
            }

            // Another run claimed it between our lookup and now: it owns the recipient.
            state.Progress.OnAlreadyDone();
            return null;
        }

        switch (entry.State)
        {
            case LedgerState.Claimed when entry.ClaimedBy == state.Holder:
                // Claimed by this worker from a table: it becomes "submitting" before anything is sent.
                return await ledger.BeginSubmittingAsync(campaign, key, state.Holder, CancellationToken.None) ? entry.IdempotencyKey : null;
            case LedgerState.Pending or LedgerState.Rejected or LedgerState.Claimed:
                // Table work nobody is sending (the classifier saw no live lease): nothing was sent for it yet.
                return await TakeOverAsync(state, submission) ? entry.IdempotencyKey : null;
            case LedgerState.Failed:
                var next = RecipientIdentity.NextIdempotencyKey(campaign, key, entry);
                if (await ledger.TryRetryFailedAsync(campaign, key, entry.Attempt, next, CancellationToken.None))
                {
                    return next;
                }

                state.Progress.OnAlreadyDone();
                return null;
            case LedgerState.Submitting when entry.ClaimedBy is not null && entry.ClaimedBy != state.Holder:
                // Another worker's submission whose lease ended: take it over, then replay it below.
                if (!await TakeOverAsync(state, submission))
                {
                    return null;
                }

                break;
            case LedgerState.Submitting:
                break;
            default:
                throw new InvalidOperationException($"Recipient '{key}' is '{entry.State}' in the ledger; the row decision never sends such a row.");
        }

        // "submitting": an earlier run sent (or was about to send) this create and never recorded the answer.
        // The attempt was claimed at updated_at (a --retry-failed re-claims an old entry); the window counts from then.
        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(entry.UpdatedAt);
        if (age > ReplayWindow && await FindByMarkerAsync(entry, state.Token) is { } found)
        {
            await ledger.MarkSubmittedAsync(campaign, key, found.Id, found.Status, CancellationToken.None);
            state.Progress.OnFollowing();
            state.Follower.Add(key, found.Id, submission.Line);
            return null;
        }

        return entry.IdempotencyKey;
    }

    /// <summary>Takes the entry over under this run's lease; when another worker was quicker, the row is counted as in progress there.</summary>
    private async Task<bool> TakeOverAsync(RunState state, Submission submission)
    {
        if (await ledger.TakeOverAsync(state.Run.Campaign, submission.Key, state.Holder, ledgerOptions.Value.ClaimLease, CancellationToken.None))
        {
            return true;
        }

        state.Progress.OnInProgressElsewhere(new RowReport(
            RowOutcome.Deferred, submission.Line, submission.Key, null, "in progress elsewhere: another worker claimed it first")
        {
            Code = "in_progress_elsewhere",
        });
        return false;
    }

    private async Task<VideoDetail?> FindByMarkerAsync(LedgerEntry entry, CancellationToken ct)
    {
        await foreach (var video in heyGen.ListVideosAsync(entry.TitleMarker, ct))
        {
            // The marker names the recipient, not the attempt: on a retry, a failed video with it is the
            // earlier attempt's, which must not be adopted again.
            if (video.Title?.Contains(entry.TitleMarker, StringComparison.Ordinal) == true
                && !(entry.Attempt > 1 && video.Status == VideoStatus.Failed))
            {
                return video;
            }
        }

        return null;
    }

    private async Task<string?> WriteBackAsync(RunState state)
    {
        var run = state.Run;
        try
        {
            var result = await run.Source.WriteBackAsync(
                async (keys, ct) =>
                {
                    var entries = await ledger.GetAsync(run.Campaign, keys, ct);
                    return entries.ToDictionary(e => e.Key, e => ToWriteBack(e.Value, run.Options, options.Value.Storage), StringComparer.Ordinal);
                },
                CancellationToken.None);
            await ledger.MarkWrittenBackAsync(run.Campaign, result.WrittenKeys, CancellationToken.None);
            return result.Target;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SourceException)
        {
            LogWriteBackFailed(logger, e, run.Source.Name);
            state.Stop($"writing back to {run.Source.Name} failed ({e.Message}); every result is kept in the ledger and a rerun writes it back");
            return null;
        }
    }

    internal static WriteBackValues ToWriteBack(LedgerEntry entry, CampaignOptions campaign, Links.StorageOptions storage) => new(
        entry.VideoId,
        entry.State switch
        {
            LedgerState.Submitted => entry.VideoStatus ?? "submitted",
            _ => entry.State,
        },
        Links.WriteBackLink.For(entry, campaign.UrlField, storage));

    private void Reject(RunState state, RowReport problem)
    {
        LogRejected(logger, state.Run.Source.Name, problem.Line, problem.Key, problem.Reason);
        state.Progress.OnRejected(problem);
    }

    internal LedgerStore Ledger => ledger;

    internal HeyGenClient HeyGen => heyGen;

    internal Links.VideoStorage Storage => storage;

    internal HeyGenOptions HeyGenSettings => heyGenOptions.Value;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign}: reading {Source}")]
    private static partial void LogStarting(ILogger logger, string campaign, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-flight: {Videos} videos to send, about {Credits:0.##} credits; the account has {Remaining} {Unit} left")]
    private static partial void LogQuota(ILogger logger, long videos, double credits, double? remaining, string unit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Submitted {Key} as {VideoId}")]
    private static partial void LogSubmitted(ILogger logger, string key, string videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} line {Line} (key {Key}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string source, long line, string? key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed rows of campaign {Campaign} could not all be added to the rejects file")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string campaign);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-back to {Source} failed")]
    private static partial void LogWriteBackFailed(ILogger logger, Exception exception, string source);

    private sealed record Submission(long Line, string Key, RenderResult Rendered, LedgerEntry? Entry);

    /// <summary>The mutable state one run shares between its producer, submitters and follower.</summary>
    private sealed class RunState(PreparedRun run, RunProgress progress, CancellationTokenSource stop, VideoFollower follower, FailureBreaker breaker, ReportSession report)
    {
        private readonly Lock budgetGate = new();
        private string? stoppedBecause;
        private double reserved;
        private long reservedVideos;
        private bool halted;

        public PreparedRun Run => run;

        public RunProgress Progress => progress;

        public VideoFollower Follower => follower;

        public FailureBreaker Breaker => breaker;

        public ReportSession Report => report;

        public CancellationToken Token => stop.Token;

        public string? StoppedBecause => stoppedBecause;

        public bool StoppedBeforeAnyCreate { get; set; }

        /// <summary>This worker's name in table claims: machine, process, and a per-run suffix.</summary>
        public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

        /// <summary>The pre-flight's estimate of the rows to send, when the quota check ran.</summary>
        public CreditEstimate? Estimate { get; set; }

        /// <summary>Estimated credits of the creates sent or being sent (for --max-credits).</summary>
        public double Reserved
        {
            get
            {
                lock (budgetGate)
                {
                    return reserved;
                }
            }
        }

        public long ReservedVideos
        {
            get
            {
                lock (budgetGate)
                {
                    return reservedVideos;
                }
            }
        }

        /// <summary>Adds a create's estimated cost, unless that would pass <paramref name="budget"/>.</summary>
        public bool TryReserve(double credits, double budget)
        {
            lock (budgetGate)
            {
                if (reserved + credits > budget)
                {
                    return false;
                }

                reserved += credits;
                reservedVideos++;
                return true;
            }
        }

        /// <summary>True once no further create may be sent (a budget or the circuit breaker said so).</summary>
        public bool Halted => Volatile.Read(ref halted);

        public void Stop(string reason)
        {
            Interlocked.CompareExchange(ref stoppedBecause, reason, null);
            stop.Cancel();
        }

        /// <summary>
        /// Sends no further create but lets the ones in the air finish and the follower go on, so nothing
        /// already paid for is left unrecorded; rows not sent stay pending.
        /// </summary>
        public void Halt(string reason)
        {
            Interlocked.CompareExchange(ref stoppedBecause, reason, null);
            Volatile.Write(ref halted, true);
        }
    }
}
