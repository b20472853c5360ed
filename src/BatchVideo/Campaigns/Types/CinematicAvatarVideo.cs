using BatchVideo.HeyGen;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// Cinematic Avatar (<c>POST /v3/videos</c>, <c>CreateVideoFromCinematicAvatar</c> of heygen-cli gen/video.go @ 7699a8ee,
/// not yet in the April document): a prompt, 1-3 looks as the <c>avatar_id</c> array, duration 4-15 s, aspect ratio
/// 16:9 / 9:16 / 1:1, resolution 720p / 1080p, no script and no voice.
/// </summary>
public sealed class CinematicAvatarVideo : PromptVideo
{
    /// <summary>Cinematic Avatar's avatar_id: "Provide 1 to 3 look IDs".</summary>
    public const int MaxLooks = 3;

    /// <summary>Cinematic Avatar's duration: "Video length in seconds (4–15). Defaults to 10."</summary>
    public const int MinSeconds = 4;

    public const int MaxSeconds = 15;

    public const int DefaultSeconds = 10;

    public static readonly IReadOnlySet<string> Ratios = new HashSet<string>(StringComparer.Ordinal) { "16:9", "9:16", "1:1" };

    public static readonly IReadOnlySet<string> Resolutions = new HashSet<string>(StringComparer.Ordinal) { "720p", "1080p" };

    public override string Name => VideoTypes.CinematicAvatar;

    public override IReadOnlySet<string> AspectRatios => Ratios;

    protected override string? KeyInfix => "cinematic";

    /// <summary>A row may choose its look (replacing <c>AvatarIds</c>) and its aspect ratio.</summary>
    public override bool TakesChoice(string column) => column is "AspectRatio";

    public override IReadOnlyList<string> LooksOf(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return [.. campaign.AvatarIds.Where(l => !string.IsNullOrWhiteSpace(l)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>None: a cinematic clip has no spoken voice.</summary>
    public override IReadOnlyList<string> VoicesOf(CampaignOptions campaign) => [];

    public override void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (campaign.AvatarIds.Count is 0 or > MaxLooks || campaign.AvatarIds.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{at}:AvatarIds must name 1 to {MaxLooks} avatar looks for cinematic_avatar (it has {campaign.AvatarIds.Count}).");
        }

        if (campaign.Duration is { } seconds && seconds is < MinSeconds or > MaxSeconds)
        {
            errors.Add($"{at}:Duration {seconds} is not {MinSeconds} to {MaxSeconds} seconds, the clip lengths cinematic_avatar makes.");
        }

        if (!Ratios.Contains(campaign.AspectRatio))
        {
            errors.Add($"{at}:AspectRatio '{campaign.AspectRatio}' is not one cinematic_avatar supports ({string.Join(", ", Ratios)}).");
        }

        if (!Resolutions.Contains(campaign.Resolution))
        {
            errors.Add($"{at}:Resolution '{campaign.Resolution}' is not one cinematic_avatar supports ({string.Join(", ", Resolutions)}).");
        }

        if (!string.IsNullOrWhiteSpace(campaign.AvatarId))
        {
            errors.Add($"{at}:AvatarId is for avatar and video_agent: a cinematic_avatar campaign names its looks in AvatarIds.");
        }

        if (!string.IsNullOrWhiteSpace(campaign.VoiceId))
        {
            errors.Add($"{at}:VoiceId cannot be used with cinematic_avatar: its clips have no spoken voice; remove it.");
        }

        Refuse(at, campaign, errors, "cinematic_avatar", styleId: true, orientation: true, engine: true);
    }

    protected override VideoCreate Request(PromptRow row) =>
        VideoCreate.Of(new CreateCinematicVideoRequest
        {
            Prompt = row.Prompt,
            AvatarIds = row.Choices?.Look is { } look ? [look] : [.. row.Options.AvatarIds],
            Duration = row.Options.Duration,
            AspectRatio = row.Choices?.AspectRatio ?? row.Options.AspectRatio,
            Resolution = row.Options.Resolution,
            Title = RecipientIdentity.Title(row.Title, row.Run.Campaign, row.Marker),
        });

    /// <summary>The clip's <c>Duration</c>, HeyGen's default 10 s when unset.</summary>
    protected override double SecondsOf(CampaignOptions campaign) => campaign.Duration ?? DefaultSeconds;
}
