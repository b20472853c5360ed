using BatchVideo.HeyGen;
using BatchVideo.Scripts;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// Direct Video (<c>POST /v3/videos</c>, <c>CreateVideoRequest</c>): one avatar look and voice speak the rendered
/// script; the default type, and the one every per-row choice column and captions apply to.
/// </summary>
public sealed class AvatarVideo : VideoType
{
    public override string Name => VideoTypes.Avatar;

    public override bool IsSpoken => true;

    public override string PreflightPassed => "passed: HeyGen accepts the API key and knows the avatar and voice";

    public override bool TakesCaptions => true;

    public override bool TakesChoice(string column) => true;

    /// <summary>HeyGen's default when the campaign names none (heygen-cli gen/video.go: "Defaults to Avatar IV").</summary>
    public override string? EngineOf(CampaignOptions campaign) => campaign?.Engine ?? VideoPrice.DefaultEngine;

    public override void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(campaign.AvatarId))
        {
            errors.Add($"{at}:AvatarId is missing.");
        }

        if (string.IsNullOrWhiteSpace(campaign.VoiceId))
        {
            errors.Add($"{at}:VoiceId is missing.");
        }

        Refuse(at, campaign, errors, "avatar (Direct Video)", styleId: true, orientation: true, avatarIds: true, duration: true);
    }

    public override VideoCreate Build(PreparedRun run, string marker, RenderResult rendered, Uri? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rendered);
        var options = run.Options;
        var row = rendered.Choices;
        return VideoCreate.Of(new CreateVideoRequest
        {
            AvatarId = row?.Look ?? options.AvatarId,
            VoiceId = row?.Voice ?? options.VoiceId,
            Script = rendered.Spoken ?? rendered.Script!,
            Title = RecipientIdentity.Title(rendered.Title, run.Campaign, marker),
            AspectRatio = row?.AspectRatio ?? options.AspectRatio,
            Resolution = options.Resolution,
            CallbackUrl = callbackUrl?.AbsoluteUri,
            CallbackId = callbackUrl is null ? null : marker,
            Engine = options.Engine is { } engine ? new EngineSetting(engine) : null,
            Caption = options.Captions ? new CaptionSetting("srt") : null,
            Background = row?.Background,
            VoiceSettings = row is { VoiceSpeed: null, VoiceLocale: null } or null ? null : new VoiceSettings(row.VoiceSpeed, row.VoiceLocale),
        });
    }

    /// <summary>The script's spoken length at the campaign's pace.</summary>
    public override double MinutesOf(CampaignOptions campaign, string text)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return CreditEstimate.MinutesOf(text, campaign.WordsPerMinute);
    }

    /// <summary>By engine and resolution; a photo avatar's engine in its <c>_photo</c> table when <paramref name="pricing"/> has one.</summary>
    public override (string Table, string Column) RateOf(CampaignOptions campaign, PricingOptions? pricing, string? avatarType)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var engine = campaign.Engine ?? VideoPrice.DefaultEngine;
        return avatarType == VideoPrice.PhotoAvatar && pricing?.UsdPerSecond.ContainsKey(engine + PricingOptions.PhotoSuffix) == true
            ? (engine + PricingOptions.PhotoSuffix, campaign.Resolution)
            : (engine, campaign.Resolution);
    }

    public override bool PriceDependsOnLook(CampaignOptions campaign, PricingOptions pricing)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(pricing);
        return campaign.AvatarId.Length > 0 && pricing.UsdPerSecond.ContainsKey((campaign.Engine ?? VideoPrice.DefaultEngine) + PricingOptions.PhotoSuffix);
    }

    /// <summary>Nothing beyond the common parts, so approvals made before types existed stay valid.</summary>
    public override IEnumerable<string> ApprovalParts(CampaignOptions campaign) => [];
}
