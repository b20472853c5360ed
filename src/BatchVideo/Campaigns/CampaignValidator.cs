using BatchVideo.Ledger;
using BatchVideo.Reports;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>
/// <c>validate</c>: reads, checks and renders every row exactly as a run would (through the same
/// <see cref="RowClassifier"/>), counts what a run would do and estimates what it would cost. Nothing
/// is sent to HeyGen but the optional pre-flight GETs, and nothing is written but the reports.
/// Problems stream to the caller and the rejects file, so memory stays flat however long the source.
/// </summary>
public sealed partial class CampaignValidator(
    LedgerStore ledger,
    CampaignPreflight preflight,
    ReportWriter reports,
    TimeProvider time,
    ILogger<CampaignValidator> logger)
{
    /// <param name="run">Prepared with <see cref="RunRequest.DryRun"/>, so the ledger is only read.</param>
    /// <param name="skipPreflightBecause">Null to ask HeyGen about the key, avatar and voice; otherwise why not.</param>
    /// <param name="onProblem">Called for every problem row, in source order.</param>
    public async Task<RunSummary> ValidateAsync(
        PreparedRun run,
        RunProgress progress,
        string? skipPreflightBecause,
        Action<RowProblem>? onProblem,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(progress);
        var started = time.GetTimestamp();
        using var report = reports.Begin(run.Campaign, "validate", run.Source.Columns);
        LogValidating(logger, run.Campaign, run.Source.Name);

        PreflightFailure? refused = null;
        string preflightNote;
        var pricing = PreflightOutcome.Assumed(run);
        if (skipPreflightBecause is null)
        {
            refused = await preflight.CheckAsync(run.Options, ct);
            preflightNote = refused?.Reason ?? run.VideoType.PreflightPassed;
            if (refused is null)
            {
                // The estimate in the account's own unit (a USD wallet by the second; credits otherwise).
                var price = await preflight.PriceAsync(run.Options, run.Pricing, ct);
                pricing = PreflightOutcome.Asked(price);
                if (price.Rate is null)
                {
                    preflightNote += $"; no price for this engine and resolution in {price.Unit}: set {price.MissingPriceSetting}";
                }
            }
        }
        else
        {
            preflightNote = "skipped: " + skipPreflightBecause;
        }

        // Rows' own looks and voices, each distinct one asked about once, as a run's pre-flight does.
        RefusedChoices? refusedChoices = null;
        if (skipPreflightBecause is null && refused is null && run.Choices is { ChoosesLookOrVoice: true })
        {
            try
            {
                var (looks, voices) = await RefusedChoices.DistinctAsync(new RowClassifier(run, ledger, time), ct);
                refusedChoices = await preflight.CheckChoicesAsync(run.Options, looks, voices, ct);
                preflightNote += $"; {looks.Count} looks and {voices.Count} voices chosen by rows checked, {refusedChoices.Count} refused";
            }
            catch (Exception e) when (e is HeyGen.HeyGenApiException or HttpRequestException or Polly.Timeout.TimeoutRejectedException)
            {
                preflightNote += $"; the rows' looks and voices could not be checked: {e.Message}";
            }
        }

        await foreach (var verdict in new RowClassifier(run, ledger, time).ClassifyAsync(ct))
        {
            progress.OnRead();
            progress.Count(verdict);
            switch (verdict)
            {
                case { Fate: RowFate.Rejected or RowFate.FailedEarlier, Problem: { } problem }:
                    Record(verdict, problem);
                    break;
                case { Fate: RowFate.InProgressElsewhere, Problem: { } problem }:
                    onProblem?.Invoke(problem);
                    break;
                case { Fate: RowFate.Ready, Key: { } key, Rendered: { Script: not null } rendered } when refusedChoices?.Refusal(verdict.Row.Line, key, rendered.Choices) is { } bad:
                    progress.OnRejected(bad);
                    Record(verdict, bad);
                    break;
                case { Fate: RowFate.Ready, Rendered.Script: { } script }:
                    progress.OnWouldSubmit(SpokenLength.Of(script));
                    break;
            }
        }

        var elapsed = time.GetElapsedTime(started);
        var summary = RunSummaries.Of(run, progress, RunMode.Validate, writtenTo: null, refused?.Reason, elapsed, []) with
        {
            StoppedBeforeAnyCreate = refused is not null,
            Preflight = preflightNote,
            Estimate = pricing.Priced(progress.Estimate(run.Options)),
            Timings = new RunTimings(elapsed, null),
        };
        return await report.CompleteAsync(summary, CancellationToken.None);

        void Record(RowVerdict verdict, RowProblem problem)
        {
            report.Rejects.Add(verdict.Row, problem);
            report.Count(problem);
            onProblem?.Invoke(problem);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {Campaign}: validating {Source}")]
    private static partial void LogValidating(ILogger logger, string campaign, string source);
}
