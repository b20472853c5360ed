using BatchVideo.HeyGen;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// Video Agent (<c>POST /v3/video-agents</c>, <c>CreateVideoAgentRequest</c> of the OpenAPI document of 2026-04-08:
/// prompt 1-10,000 characters; avatar_id, voice_id, style_id, orientation optional; <c>additionalProperties: false</c>).
/// The agent writes the script and picks the framing; the request has no title, so <c>callback_id</c> carries the marker.
/// </summary>
public sealed class VideoAgentVideo : PromptVideo
{
    /// <summary>CreateVideoAgentRequest.prompt: maxLength 10000.</summary>
    public const int MaxPrompt = 10_000;

    /// <summary>HeyGen's 30-minute output limit, the most <c>ExpectedSeconds</c> may assume.</summary>
    private const int MaxExpectedSeconds = 1800;

    public static readonly IReadOnlySet<string> Orientations = new HashSet<string>(StringComparer.Ordinal) { "landscape", "portrait" };

    public override string Name => VideoTypes.VideoAgent;

    public override string RouteOf(CampaignOptions campaign) => VideoCreate.VideoAgentsRoute;

    public override bool CarriesTitle => false;

    public override int MaxRenderedLength => MaxPrompt;

    protected override string? KeyInfix => "agent";

    /// <summary>A row may choose its look and voice; the agent takes nothing else.</summary>
    public override bool TakesChoice(string column) => column is "Voice";

    public override void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (campaign.Orientation is { } orientation && !Orientations.Contains(orientation))
        {
            errors.Add($"{at}:Orientation '{orientation}' is not one of {string.Join(", ", Orientations)} (unset: the agent decides).");
        }

        if (!(campaign.ExpectedSeconds is > 0 and <= MaxExpectedSeconds))
        {
            errors.Add($"{at}:ExpectedSeconds {campaign.ExpectedSeconds} must be more than 0 and at most 1800 (HeyGen's 30-minute output limit).");
        }

        if (!string.IsNullOrWhiteSpace(campaign.TitleTemplate))
        {
            errors.Add($"{at}:TitleTemplate cannot be used with video_agent: its request has no title (the recipient marker travels in callback_id); remove it.");
        }

        Refuse(at, campaign, errors, "video_agent (the agent picks engine and framing)", avatarIds: true, duration: true, engine: true);
    }

    protected override VideoCreate Request(PromptRow row) =>
        VideoCreate.Of(new CreateVideoAgentRequest
        {
            Prompt = row.Prompt,
            AvatarId = row.Choices?.Look ?? NullIfBlank(row.Options.AvatarId),
            VoiceId = row.Choices?.Voice ?? NullIfBlank(row.Options.VoiceId),
            StyleId = NullIfBlank(row.Options.StyleId),
            Orientation = NullIfBlank(row.Options.Orientation),
            CallbackUrl = row.CallbackUrl?.AbsoluteUri,
            // Always sent: the request has no title, so the marker travels here (docs/reconciliation.md).
            CallbackId = row.Marker,
        });

    /// <summary>The operator's <c>ExpectedSeconds</c>: the agent decides the length, and the reference states no typical one.</summary>
    protected override double SecondsOf(CampaignOptions campaign) => campaign.ExpectedSeconds;

    /// <summary>"Video Agent — Prompt to Video $0.0333 / sec", one rate whatever the output (the request names no resolution).</summary>
    public override (string Table, string Column) RateOf(CampaignOptions campaign, PricingOptions? pricing, string? avatarType) =>
        (Name, PricingOptions.AnyResolution);
}
