namespace BatchVideo.Campaigns;

/// <summary>
/// HeyGen's prices for a USD wallet (section <c>Pricing</c>): dollars per second of output by engine and
/// resolution, or dollars per video where HeyGen bills a flat rate. API-key (pay-as-you-go) accounts pay from a
/// prepaid USD wallet (developers.heygen.com/docs/pricing); the defaults here and in appsettings.json are that
/// page's rates as docs/heygen-contract.md "Prices" lists them with their sources, overridable when HeyGen's
/// prices or your contract differ. Where a price depends on a fact BatchVideo might read wrongly, the higher
/// rate is kept (photo avatars on Avatar IV are priced as digital twins).
/// </summary>
public sealed class PricingOptions
{
    /// <summary>Where the table comes from, for the operator reading the configuration.</summary>
    public string? Source { get; set; }

    /// <summary>
    /// Engine (<c>avatar_iv</c>, <c>avatar_v</c>, <c>avatar_iii</c>) → resolution (<c>720p</c>, <c>1080p</c>,
    /// <c>4k</c>) → USD per second. Starts with the pricing page's Avatar IV, V and III rates (the same
    /// table appsettings.json shows), so a configuration without the section still prices a USD wallet;
    /// configured values replace them one by one. <c>avatar_iii_photo</c> is a photo avatar on Avatar III.
    /// </summary>
    public Dictionary<string, Dictionary<string, double>> UsdPerSecond { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["avatar_iv"] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0667, ["1080p"] = 0.0667, ["4k"] = 0.0833 },
        // "Avatar IV & V" share one row on the pricing page; Avatar V is billed as Avatar IV since 2026-05-12 (changelog).
        ["avatar_v"] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0667, ["1080p"] = 0.0667, ["4k"] = 0.0833 },
        ["avatar_iii"] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0167, ["1080p"] = 0.0167, ["4k"] = 0.02 },
        // A photo avatar on Avatar III costs more than a studio avatar there ("Photo Avatar $0.0433/sec"); 4K unpublished.
        ["avatar_iii" + PhotoSuffix] = new(StringComparer.OrdinalIgnoreCase) { ["720p"] = 0.0433, ["1080p"] = 0.0433 },
        // "Video Agent — Prompt to Video $0.0333 / sec", one rate whatever the output (the request names no resolution).
        [VideoTypes.VideoAgent] = new(StringComparer.OrdinalIgnoreCase) { [AnyResolution] = 0.0333 },
    };

    /// <summary>
    /// USD per video, by the same table names, for what HeyGen bills at a flat rate whatever the length: "Cinematic
    /// Avatar video $7.00 / video … billed at a flat rate per video, not by duration" (developers.heygen.com/docs/pricing,
    /// every stored copy, read 2026-12-05). A table listed here is priced per video only; its per-second row is ignored.
    /// </summary>
    public Dictionary<string, double> UsdPerVideo { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [VideoTypes.CinematicAvatar] = 7.00,
    };

    /// <summary>
    /// USD per second of speech preview (<c>POST /v3/voices/speech</c>, <c>batchvideo names</c>): "Text-to-Speech —
    /// Speech — Starfish $0.000667 / sec" (developers.heygen.com/docs/pricing, read 2026-12-06; an older copy of the
    /// page says $0.000333, so the higher is kept).
    /// </summary>
    public double SpeechUsdPerSecond { get; set; } = 0.000667;

    /// <summary>
    /// Credits per second of speech preview on a credit wallet. HeyGen publishes no credit price for text-to-speech;
    /// unset, a preview is priced like a second of the campaign's video (<c>CreditsPerMinute</c> / 60), an upper bound.
    /// </summary>
    public double? SpeechCreditsPerSecond { get; set; }

    /// <summary>The column of a rate that does not depend on resolution (Video Agent's).</summary>
    public const string AnyResolution = "any";

    /// <summary>Added to an engine's table name for photo avatars (<c>avatar_type: photo_avatar</c>), where that table exists.</summary>
    public const string PhotoSuffix = "_photo";
}

/// <summary>What one video costs: <see cref="PerMinute"/> of its length plus a flat <see cref="PerVideo"/>, in the account's unit.</summary>
public sealed record VideoRate(double PerMinute, double PerVideo = 0)
{
    /// <summary>The price of one video of <paramref name="minutes"/>.</summary>
    public double Of(double minutes) => (minutes * PerMinute) + PerVideo;

    /// <summary>The price of <paramref name="videos"/> videos of <paramref name="minutes"/> in all.</summary>
    public double Of(long videos, double minutes) => (minutes * PerMinute) + (videos * PerVideo);

    /// <summary>True when nothing would be charged (the operator turned the check off with <c>CreditsPerMinute</c> 0).</summary>
    public bool IsFree => PerMinute <= 0 && PerVideo <= 0;
}

/// <summary>What a minute of a campaign's video costs in the account's own unit.</summary>
public static class VideoPrice
{
    /// <summary>HeyGen's engine when a create names none (heygen-cli gen/video.go: "Defaults to Avatar IV").</summary>
    public const string DefaultEngine = "avatar_iv";

    /// <summary>
    /// The price of a video in <paramref name="unit"/> (<c>usd</c>: from the USD tables for the campaign's type,
    /// engine and resolution, per video where HeyGen bills a flat rate; anything else: <c>CreditsPerMinute</c>);
    /// null when the tables have no price for them.
    /// </summary>
    /// <param name="avatarType">The campaign look's <c>avatar_type</c>, when known: a <c>photo_avatar</c> takes its engine's photo table if there is one.</param>
    public static VideoRate? Of(CampaignOptions campaign, PricingOptions pricing, string unit, string? avatarType = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(pricing);
        if (!string.Equals(unit, "usd", StringComparison.OrdinalIgnoreCase))
        {
            return new VideoRate(campaign.CreditsPerMinute);
        }

        var (table, column) = RateOf(campaign, pricing, avatarType);
        if (pricing.UsdPerVideo.TryGetValue(table, out var perVideo))
        {
            return new VideoRate(0, perVideo);
        }

        return pricing.UsdPerSecond.TryGetValue(table, out var byResolution)
            && byResolution.TryGetValue(column, out var perSecond)
                ? new VideoRate(perSecond * 60)
                : null;
    }

    /// <summary>The price of one minute (<see cref="Of"/> without a flat part); null when there is none.</summary>
    public static double? PerMinute(CampaignOptions campaign, PricingOptions pricing, string unit) => Of(campaign, pricing, unit)?.PerMinute;

    /// <summary>The setting an operator adds when <see cref="Of"/> found no price.</summary>
    public static string MissingPriceSetting(CampaignOptions campaign, PricingOptions? pricing = null, string? avatarType = null)
    {
        var (table, column) = RateOf(campaign, pricing, avatarType);
        return $"Pricing:UsdPerSecond:{table}:{column}";
    }

    /// <summary>
    /// Where a campaign's rate sits in the table: by engine and resolution for avatar videos (a photo avatar's engine
    /// in its <c>_photo</c> table when <paramref name="pricing"/> has one), under the type's own name for the other
    /// two (<c>video_agent</c>: <c>any</c>; <c>cinematic_avatar</c>: by resolution, or per video).
    /// </summary>
    public static (string Table, string Column) RateOf(CampaignOptions campaign, PricingOptions? pricing = null, string? avatarType = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return VideoTypes.Of(campaign).RateOf(campaign, pricing, avatarType);
    }

    /// <summary>The <c>avatar_type</c> of a photo avatar look (AvatarLookType, OpenAPI).</summary>
    public const string PhotoAvatar = "photo_avatar";
}
