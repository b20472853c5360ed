using System.Globalization;

namespace BatchVideo.Campaigns;

/// <summary>
/// The one way every command, report and page says what a batch is likely to cost: in the account's unit
/// (a USD wallet's dollars, or credits), with one rounding and one set of words, so validate, a dry run,
/// the pre-flight, a sample, the summary, the JSON report and the review page show the same figure.
/// </summary>
public static class Spend
{
    /// <summary>The unit of a USD wallet (pay-as-you-go API accounts, <c>/v3/users/me</c> <c>wallet.currency</c>).</summary>
    public const string Usd = "usd";

    /// <summary>The unit of a credit subscription, and of <c>CreditsPerMinute</c>.</summary>
    public const string Credits = "credits";

    /// <summary>The label the figure goes by wherever it is shown.</summary>
    public const string Label = "est. cost";

    /// <summary>Why it is an estimate, said once in the same words everywhere.</summary>
    public const string Caveat = "an estimate from the scripts' length; HeyGen bills the real length";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static bool IsUsd(string unit) => string.Equals(unit, Usd, StringComparison.OrdinalIgnoreCase);

    /// <summary>The figure every output rounds to: hundredths (a dollar's cents; credits can be fractional too).</summary>
    public static double Round(double amount, string unit) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>"$26.26", "6.6 credits" or "1 credit".</summary>
    public static string Amount(double amount, string unit)
    {
        var rounded = Round(amount, unit);
        return IsUsd(unit)
            ? "$" + rounded.ToString("#,0.00", Invariant)
            : rounded.ToString("#,0.##", Invariant) + (rounded == 1 ? " credit" : " credits");
    }

    /// <summary>"$4.002 a minute" or "1 credit a minute".</summary>
    public static string Rate(double perMinute, string unit) => IsUsd(unit)
        ? "$" + perMinute.ToString("0.00##", Invariant) + " a minute"
        : perMinute.ToString("0.##", Invariant) + (perMinute == 1 ? " credit" : " credits") + " a minute";

    /// <summary>The estimate's rate: "$4.002 a minute", "$7.00 a video, flat", or both when a price has both parts.</summary>
    public static string Rate(VideoEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (estimate.PricePerVideo <= 0)
        {
            return Rate(estimate.CreditsPerMinute, estimate.Unit);
        }

        var flat = Amount(estimate.PricePerVideo, estimate.Unit) + " a video, flat";
        return estimate.CreditsPerMinute > 0 ? flat + " plus " + Rate(estimate.CreditsPerMinute, estimate.Unit) : flat;
    }

    /// <summary>"$26.26" of the estimate, in its unit.</summary>
    public static string Amount(VideoEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return Amount(estimate.Credits, estimate.Unit);
    }

    /// <summary>
    /// "about $26.26 for 23 videos (6.6 minutes at $4.002 a minute)", with the reason it is only an estimate
    /// left to the caller; when the account's unit was not asked, says what was assumed.
    /// </summary>
    public static string Describe(VideoEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        var videos = estimate.Videos == 1 ? "1 video" : estimate.Videos.ToString("N0", Invariant) + " videos";
        return $"about {Amount(estimate)} for {videos} ({estimate.Minutes.ToString("0.0", Invariant)} minutes at {Rate(estimate)}){Assumed(estimate)}";
    }

    /// <summary>" (a USD wallet assumed: …)" when the account was not asked; "" when it was.</summary>
    public static string Assumed(VideoEstimate estimate)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        return !estimate.UnitAssumed ? ""
            : IsUsd(estimate.Unit) ? "; a USD wallet assumed, as API keys have: the pre-flight did not ask the account"
            : "; credits assumed (no USD price for this engine and resolution): the pre-flight did not ask the account";
    }

    /// <summary>
    /// The price a campaign is estimated at before the account has been asked (validate --offline, no key):
    /// a USD wallet, as API keys are (developers.heygen.com/docs/pricing), when the price table has the
    /// campaign's rate; otherwise <c>CreditsPerMinute</c>.
    /// </summary>
    public static (VideoRate Rate, string Unit) Assumed(CampaignOptions campaign, PricingOptions pricing) =>
        VideoPrice.Of(campaign, pricing, Usd) is { } usd ? (usd, Usd) : (new VideoRate(campaign.CreditsPerMinute), Credits);
}
