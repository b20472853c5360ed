using BatchVideo.HeyGen;
using BatchVideo.Ledger;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace BatchVideo.Campaigns;

/// <summary>
/// What the pre-flight found before the first paid create: why the run must not send (null: it may), the
/// account's unit and price (assumed until asked), what the account has left, the estimate of the rows to
/// send, and the looks and voices of rows HeyGen refused.
/// </summary>
/// <param name="Unit">The account's unit (<c>usd</c> or <c>credits</c>), as <c>/v3/users/me</c> reported it; assumed until then.</param>
/// <param name="Rate">What a minute of video (and a video flat, for Cinematic Avatar) costs in <paramref name="Unit"/>.</param>
/// <param name="PriceAsked">True once the account was asked its unit.</param>
internal sealed record PreflightOutcome(string Unit, VideoRate Rate, bool PriceAsked)
{
    /// <summary>Why nothing may be sent (a wrong key, avatar or voice, too little money); null when the run may send.</summary>
    public string? StopReason { get; init; }

    /// <summary>What the account has left, for a dry run to compare its own pass's estimate with at its end.</summary>
    public double? Left { get; init; }

    /// <summary>The estimate of the rows to send, when the account reported a limit to check it against.</summary>
    public VideoEstimate? Estimate { get; init; }

    /// <summary>Rows' own looks and voices HeyGen does not know (or cannot use yet), with why.</summary>
    public RefusedChoices? Refused { get; init; }

    /// <summary>Before the pre-flight: the campaign's assumed unit and price (<see cref="Spend.Assumed"/>).</summary>
    public static PreflightOutcome Assumed(PreparedRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (rate, unit) = Spend.Assumed(run.Options, run.Pricing);
        return new PreflightOutcome(unit, rate, PriceAsked: false);
    }

    /// <summary>The account's own price, as the pre-flight asked it (no price for the engine and resolution: 0, and the caller says so).</summary>
    public static PreflightOutcome Asked(AccountPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        return new PreflightOutcome(price.Unit, price.Rate ?? new VideoRate(0), PriceAsked: true);
    }

    /// <summary>An estimate of this run's rows at this price.</summary>
    public VideoEstimate Priced(VideoEstimate estimate) => estimate.PricedAt(Rate, Unit, assumed: !PriceAsked);
}

/// <summary>
/// The pre-flight stage: a wrong avatar, voice or key, a row's look or voice HeyGen refuses, or too little
/// money stops the run here, before the first paid create. Asked once per run; returns what it found.
/// </summary>
internal sealed partial class RunPreflight(CampaignPreflight preflight, LedgerStore ledger, TimeProvider time, ILogger logger)
{
    /// <param name="holder">This run's worker name: the estimate counts the rows it would claim.</param>
    public async Task<PreflightOutcome> CheckAsync(PreparedRun run, string holder, CancellationToken ct)
    {
        var assumed = PreflightOutcome.Assumed(run);
        if (await preflight.CheckAsync(run.Options, ct) is { } failure)
        {
            return assumed with { StopReason = failure.Reason };
        }

        try
        {
            var refused = run.Choices is { ChoosesLookOrVoice: true } ? await CheckRowChoicesAsync(run, holder, ct) : null;
            return await new SpendCheck(preflight, ledger, time, logger).PriceAsync(run, holder, ct) with { Refused = refused };
        }
        catch (HeyGenApiException e) when (e.Disposition != ErrorDisposition.Retry)
        {
            return assumed with { StopReason = $"pre-flight check failed, nothing was sent: {e.Message}" };
        }
        catch (Exception e) when (e is HeyGenApiException or HttpRequestException or TimeoutRejectedException)
        {
            return assumed with { StopReason = $"HeyGen could not be reached for the pre-flight check, nothing was sent: {e.Message}" };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever went wrong, no create has been sent yet: stop here rather than let every submitter fail.
            return assumed with { StopReason = $"the pre-flight check failed, nothing was sent: {e.Message}" };
        }
    }

    /// <summary>
    /// Reads the rows this run would send once more (the same <see cref="RowClassifier"/> verdicts), asks HeyGen
    /// about every distinct look and voice they choose, once each, and keeps the ones it refuses: their rows are
    /// rejected, with line, column and value, instead of being sent.
    /// </summary>
    private async Task<RefusedChoices> CheckRowChoicesAsync(PreparedRun run, string holder, CancellationToken ct)
    {
        var (looks, voices) = await RefusedChoices.DistinctAsync(new RowClassifier(run, ledger, time, holder), ct);
        var refused = await preflight.CheckChoicesAsync(run.Options, looks, voices, ct);
        LogChoicesChecked(logger, looks.Count, voices.Count, refused.Count);
        return refused;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pre-flight: {Looks} distinct looks and {Voices} distinct voices chosen by rows, {Refused} refused")]
    private static partial void LogChoicesChecked(ILogger logger, int looks, int voices, int refused);
}
