namespace BatchVideo.Campaigns;

/// <summary>
/// HeyGen's prices for a USD wallet (section <c>Pricing</c>): dollars per second of output by engine and
/// resolution. API-key (pay-as-you-go) accounts pay from a prepaid USD wallet by the second
/// (developers.heygen.com/docs/pricing); the defaults in appsettings.json are that page's studio avatar and
/// digital twin rates, overridable when HeyGen's prices or your contract differ.
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Where the table comes from, for the operator reading the configuration.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Engine (<c>avatar_iv</c>, <c>avatar_v</c>, <c>avatar_iii</c>) → resolution (<c>720p</c>, <c>1080p</c>,
    /// <c>4k</c>) → USD per second. Starts with the pricing page's Avatar IV and Avatar III rates (the same
    /// table appsettings.json shows), so a configuration without the section still prices a USD wallet;
    /// configured values replace them one by one. Avatar V has no published API rate: set it to use it.
    /// </summary>
    public Dictionary<string, Dictionary<string, double>> UsdPerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["avatar_iv"] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0667, ["1080p"] = 0.0667, ["4k"] = 0.0833 },
        ["avatar_iii"] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0167, ["1080p"] = 0.0167, ["4k"] = 0.02 },
        // "Video Agent — Prompt to Video $0.0333 / sec", one rate whatever the output (the request names no resolution).
        [VideoTypes.VideoAgent] = new(StringComparer.OrdinalIgnoreCase) { [AnyResolution] = 0.0333 },
    };

    /// <summary>The column of a rate that does not depend on resolution (Video Agent's).</summary>
    public const string AnyResolution = "any";
}

/// <summary>What a minute of a campaign's video costs in the account's own unit.</summary>
public static class VideoPrice
{
    /// <summary>HeyGen's engine when a create names none (heygen-cli gen/video.go: "Defaults to Avatar IV").</summary>
    public const string DefaultEngine = "avatar_iv";

    /// <summary>
    /// The price of one minute in <paramref name="unit"/> (<c>usd</c>: from the USD table for the campaign's
    /// engine and resolution; anything else: <c>CreditsPerMinute</c>); null when the table has no price for them.
    /// </summary>
    public static double? PerMinute(CampaignOptions campaign, PricingOptions pricing, string unit)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(pricing);
        if (!string.Equals(unit, "usd", StringComparison.OrdinalIgnoreCase))
        {
            return campaign.CreditsPerMinute;
        }

        var (table, column) = RateOf(campaign);
        return pricing.UsdPerSecond.TryGetValue(table, out var byResolution)
            && byResolution.TryGetValue(column, out var perSecond)
                ? perSecond * 60
                : null;
    }

    /// <summary>The setting an operator adds when <see cref="PerMinute"/> found no price.</summary>
    public static string MissingPriceSetting(CampaignOptions campaign) =>
        $"Pricing:UsdPerSecond:{RateOf(campaign).Table}:{RateOf(campaign).Column}";

    /// <summary>
    /// Where a campaign's rate sits in the table: by engine and resolution for avatar videos, under the type's
    /// own name for the other two (<c>video_agent</c>: <c>any</c>; <c>cinematic_avatar</c>: by resolution).
    /// </summary>
    public static (string Table, string Column) RateOf(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Type switch
        {
            VideoTypes.VideoAgent => (VideoTypes.VideoAgent, PricingOptions.AnyResolution),
            VideoTypes.CinematicAvatar => (VideoTypes.CinematicAvatar, campaign.Resolution),
            _ => (campaign.Engine ?? DefaultEngine, campaign.Resolution),
        };
    }
}
