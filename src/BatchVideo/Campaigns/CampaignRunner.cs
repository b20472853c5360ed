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
        var renderer = new ScriptRenderer(script, title, source.Columns, campaign.OptionalColumns, campaign.Defaults, VideoTypes.MaxRenderedLength(campaign));
        var unknown = renderer.UnknownVariables();
        if (unknown.Count > 0)
        {
            throw new ConfigurationException(
                $"{string.Join(", ", unknown.Select(v => $"'{v}'"))} used by {campaign.Template} {(unknown.Count == 1 ? "is" : "are")} not a column of {source.Name}. Its columns are: {string.Join(", ", source.Columns)}.");
        }

        if (request.MaxCredits is { } budget && !(budget > 0))
        {
            throw new ConfigurationException("--max-spend must be a number above 0.");
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

        return new PreparedRun(name, campaign, source, renderer, request)
        {
            HasLedger = hasLedger,
            Gate = await GateAsync(name, campaign, request, ct),
            Pricing = options.Value.Pricing,
            Choices = RowChoiceReader.For(campaign, source),
        };
    }

    public async Task<RunSummary> RunAsync(PreparedRun run, RunProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var report = reports.Begin(run.Campaign, run.Request.DryRun ? "dry-run" : "run", run.Source.Columns);
        using var state = NewRunState(run, progress, stop, report, watchLedger: !run.Request.DryRun);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watch = run.Request.DryRun ? Task.CompletedTask : WatchSlotsAsync(state.Slots, watching.Token);
        if (run.Request.SubmitUntil is { } until)
        {
            state.HaltAt(until, time);
        }

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
        if (!run.Request.DryRun)
        {
            // --no-wait (and serve's campaign job) follow only while creates wait for a render slot.
            await state.Follower.RunAsync(submissions, heyGenOptions.Value, ct, untilSubmitted: run.Request.NoWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await submissions.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
            Estimate = progress.Estimate(run.Options) with { CreditsPerMinute = state.PricePerMinute, Unit = state.Unit },
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
                if (row.Problem is null && keyIndex < row.Values.Count && failed.Remove(state.Run.KeyOf(row.Values[keyIndex]), out var problem))
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
                    case { Fate: RowFate.Rendering, Key: { } key, Entry: { VideoId: { } videoId } entry }:
                        state.Progress.OnFollowing();
                        if (!state.Run.Request.DryRun)
                        {
                            state.Follower.Add(key, videoId, verdict.Row.Line, submittedAt: entry.SubmittedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
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
                            await queue.WriteAsync(new Submission(verdict.Row.Line, key, rendered, verdict.Entry) { Row = verdict.Row }, state.Token);
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

            if (state.Run.Request.DryRun)
            {
                state.Progress.OnSubmitted(SpokenLength.Of(submission.Rendered.Script!));
                return;
            }

            await submitter.SubmitAsync(state, submission);
        });
    }

    private RunState NewRunState(PreparedRun run, RunProgress progress, CancellationTokenSource stop, ReportSession report, bool watchLedger = false)
    {
        RunState? running = null;
        var slots = new RenderSlots(heyGenOptions.Value.MaxConcurrentJobs, time, awaitLedger: watchLedger);
        progress.Slots = slots;
        var breaker = new FailureBreaker(heyGenOptions.Value.CircuitBreakerFailures, reason => running!.Halt(reason));
        return running = new RunState(run, progress, stop, new VideoFollower(this, run.Campaign, progress, breaker, slots), breaker, report, slots);
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

            if (await QuotaShortfallAsync(state) is { } shortfall)
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
        var (remaining, unit) = (await heyGen.GetUserAsync(state.Token)).Remaining();
        // Priced in the account's own unit: a USD wallet by the second for the engine and resolution, credits otherwise.
        if (VideoPrice.PerMinute(run.Options, run.Pricing, unit) is not { } perMinute)
        {
            return $"pre-flight: the account pays in {unit}, but there is no price for engine {run.Options.Engine ?? VideoPrice.DefaultEngine} at {run.Options.Resolution}. "
                + $"Nothing was sent: set {VideoPrice.MissingPriceSetting(run.Options)} (developers.heygen.com/docs/pricing).";
        }

        state.PricePerMinute = perMinute;
        state.Unit = unit;
        if (perMinute <= 0)
        {
            return null; // CreditsPerMinute 0: the operator turned the check off
        }

        var estimate = await CreditEstimate.OfRunAsync(run, ledger, time, state.Holder, state.Token);
        state.Estimate = estimate;
        var cost = estimate.Minutes * perMinute;
        var needed = Math.Min(cost, run.Request.MaxCredits ?? double.MaxValue);
        LogQuota(logger, estimate.Videos, cost, unit, remaining);
        if (remaining is not { } left || left >= needed)
        {
            return null;
        }

        var capped = needed < cost ? $" (capped by --max-spend {run.Request.MaxCredits:0.##})" : "";
        return $"pre-flight: the account has {left:0.##} {unit} left, but the {estimate.Videos} videos to send need about {needed:0.##} {unit}{capped} "
            + $"({estimate.Minutes:0.#} minutes at {run.Options.WordsPerMinute:0} words a minute, or by character for Japanese, Chinese and Thai; {perMinute:0.####} {unit} a minute). "
            + "Nothing was sent: top up, send part of the batch with --max-spend, or correct the price (Pricing:UsdPerSecond, or Campaigns:<name>:CreditsPerMinute).";
    }

    private async Task<string?> WriteBackAsync(RunState state)
    {
        var run = state.Run;
        try
        {
            var result = await run.Source.WriteBackAsync(
                run.LookupIn(ledger, e => ToWriteBack(e, run.Options, options.Value.Storage)),
                CancellationToken.None);
            await ledger.MarkWrittenBackAsync(run.Campaign, run.LedgerKeys(result.WrittenKeys), CancellationToken.None);
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
        Links.WriteBackLink.For(entry, campaign.UrlField, storage))
    {
        Facts = WriteBackFacts.Of(entry, campaign.Columns),
    };

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Pre-flight: {Videos} videos to send, about {Cost:0.##} {Unit}; the account has {Remaining} left")]
    private static partial void LogQuota(ILogger logger, long videos, double cost, string unit, double? remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} line {Line} (key {Key}) rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string source, long line, string? key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed rows of campaign {Campaign} could not all be added to the rejects file")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string campaign);

    [LoggerMessage(Level = LogLevel.Error, Message = "Write-back to {Source} failed")]
    private static partial void LogWriteBackFailed(ILogger logger, Exception exception, string source);
}
