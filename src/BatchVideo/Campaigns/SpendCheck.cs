using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;

namespace BatchVideo.Campaigns;

/// <summary>
/// The pre-flight's money check: prices the rows a run would send in the account's own unit (a USD wallet by
/// the second, or per video where HeyGen bills a flat rate; credits otherwise) and refuses a batch the account
/// cannot pay, before any create. Prices: <see cref="VideoPrice"/>; words: <see cref="Spend"/>.
/// </summary>
internal sealed partial class SpendCheck(CampaignPreflight preflight, LedgerStore ledger, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Prices the rows this run would send in the account's unit and compares them with what the account has
    /// left; the stop reason is the shortfall, or null when it covers them (or the account reports no limit).
    /// </summary>
    public async Task<PreflightOutcome> PriceAsync(PreparedRun run, string holder, CancellationToken ct)
    {
        var price = await preflight.PriceAsync(run.Options, run.Pricing, ct);
        var (remaining, unit) = (price.Remaining, price.Unit);
        // Priced in the account's own unit: a USD wallet by the second (or per video) for the type, engine and resolution, credits otherwise.
        if (price.Rate is not { } rate)
        {
            return PreflightOutcome.Assumed(run) with
            {
                StopReason = $"pre-flight: the account pays in {unit}, but there is no price for engine {run.Options.Engine ?? VideoPrice.DefaultEngine} at {run.Options.Resolution}. "
                    + $"Nothing was sent: set {price.MissingPriceSetting} (developers.heygen.com/docs/pricing).",
            };
        }

        var priced = PreflightOutcome.Asked(price);
        if (rate.IsFree || remaining is not { } left)
        {
            // CreditsPerMinute 0: the operator turned the check off; no limit reported: nothing to compare
            // with, so the source is not read a second time to price it.
            return priced;
        }

        if (!run.Plan.Sends)
        {
            // A dry run prices every row in its own pass (it sends nothing): compared once that pass is over.
            return priced with { Left = left };
        }

        var estimate = await CreditEstimate.OfRunAsync(run, ledger, time, holder, rate, unit, ct);
        return priced with { Estimate = estimate, StopReason = Shortfall(run, left, estimate, logger) };
    }

    /// <summary>The pre-flight's refusal when the estimate costs more than what is left (or, with --max-spend, than the part of it the run may spend); null when it covers them.</summary>
    public static string? Shortfall(PreparedRun run, double left, VideoEstimate estimate, ILogger logger)
    {
        var unit = estimate.Unit;
        var cost = estimate.Credits;
        var needed = Math.Min(cost, run.Request.MaxCredits ?? double.MaxValue);
        LogQuota(logger, Spend.Describe(estimate), Spend.Amount(left, unit));
        if (left >= needed)
        {
            return null;
        }

        var capped = needed < cost ? $" (--max-spend {Spend.Amount(needed, unit)} of it)" : "";
        return $"pre-flight: the account has {Spend.Amount(left, unit)} left, but the videos to send cost {Spend.Describe(estimate)}{capped}"
            + (estimate.CreditsPerMinute > 0 ? $", at {run.Options.WordsPerMinute:0} words a minute, or by character for Japanese, Chinese and Thai. " : ". ")
            + "Nothing was sent: top up, send part of the batch with --max-spend, or correct the price (Pricing:UsdPerSecond or UsdPerVideo, or Campaigns:<name>:CreditsPerMinute).";
    }

    // Debug: the summary shows the same figure once, where the operator reads it.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Pre-flight: the videos to send cost {Estimate}; the account has {Remaining} left")]
    private static partial void LogQuota(ILogger logger, string estimate, string remaining);
}
