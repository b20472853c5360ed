namespace BatchVideo.Campaigns;

/// <summary>
/// HeyGen's three ways to create a video (developers.heygen.com/docs/choosing-the-right-video-api), the
/// limits each takes from the reference, and the start-up check of a campaign against its type.
/// </summary>
/// <remarks>
/// Video Agent: <c>CreateVideoAgentRequest</c> of the OpenAPI document of 2026-04-08 (prompt 1-10,000
/// characters; avatar_id, voice_id, style_id, orientation optional; <c>additionalProperties: false</c>).
/// Cinematic Avatar: <c>CreateVideoFromCinematicAvatar</c> of heygen-cli gen/video.go @ 7699a8ee (not yet in
/// the April document): prompt, 1-3 looks as the <c>avatar_id</c> array, duration 4-15 s, aspect ratio
/// 16:9 / 9:16 / 1:1, resolution 720p / 1080p, no script and no voice.
/// </remarks>
public static class VideoTypes
{
    public const string Avatar = "avatar";
    public const string VideoAgent = "video_agent";
    public const string CinematicAvatar = "cinematic_avatar";

    public static readonly IReadOnlyList<string> All = [Avatar, VideoAgent, CinematicAvatar];

    /// <summary>CreateVideoAgentRequest.prompt: maxLength 10000.</summary>
    public const int MaxAgentPrompt = 10_000;

    /// <summary>Cinematic Avatar's avatar_id: "Provide 1 to 3 look IDs".</summary>
    public const int MaxCinematicLooks = 3;

    /// <summary>Cinematic Avatar's duration: "Video length in seconds (4–15). Defaults to 10."</summary>
    public const int MinCinematicSeconds = 4;

    public const int MaxCinematicSeconds = 15;

    public const int DefaultCinematicSeconds = 10;

    public static readonly IReadOnlySet<string> CinematicAspectRatios = new HashSet<string>(StringComparer.Ordinal) { "16:9", "9:16", "1:1" };

    public static readonly IReadOnlySet<string> CinematicResolutions = new HashSet<string>(StringComparer.Ordinal) { "720p", "1080p" };

    public static readonly IReadOnlySet<string> Orientations = new HashSet<string>(StringComparer.Ordinal) { "landscape", "portrait" };

    /// <summary>The longest text the campaign's template may render for its type (script or prompt).</summary>
    /// <remarks>Cinematic Avatar's prompt has no documented maximum; the script's 5,000 is kept until one is published.</remarks>
    public static int MaxRenderedLength(CampaignOptions campaign) =>
        campaign?.Type == VideoAgent ? MaxAgentPrompt : Scripts.ScriptRenderer.MaxScriptLength;

    /// <summary>Whether a create's video can be found by its title marker (the agent request has no <c>title</c>).</summary>
    public static bool CarriesTitle(CampaignOptions campaign) => campaign?.Type != VideoAgent;

    /// <summary>The create endpoint of the campaign's type, relative to HeyGen's base URL.</summary>
    public static string RouteOf(CampaignOptions campaign) =>
        campaign?.Type == VideoAgent ? HeyGen.VideoCreate.VideoAgentsRoute : HeyGen.VideoCreate.VideosRoute;

    /// <summary>The avatar looks a campaign's creates name (the pre-flight checks each).</summary>
    public static IReadOnlyList<string> LooksOf(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Type == CinematicAvatar
            ? [.. campaign.AvatarIds.Where(l => !string.IsNullOrWhiteSpace(l)).Distinct(StringComparer.Ordinal)]
            : string.IsNullOrWhiteSpace(campaign.AvatarId) ? [] : [campaign.AvatarId];
    }

    /// <summary>The voices a campaign's creates name (none for a cinematic shot).</summary>
    public static IReadOnlyList<string> VoicesOf(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Type == CinematicAvatar || string.IsNullOrWhiteSpace(campaign.VoiceId) ? [] : [campaign.VoiceId];
    }

    /// <summary>
    /// Adds to <paramref name="errors"/> what <paramref name="campaign"/> lacks for its type and what it sets that
    /// its type cannot take, each with its setting's path (<paramref name="at"/> is <c>Campaigns:&lt;name&gt;</c>).
    /// </summary>
    public static void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        switch (campaign.Type)
        {
            case Avatar:
                if (string.IsNullOrWhiteSpace(campaign.AvatarId))
                {
                    errors.Add($"{at}:AvatarId is missing.");
                }

                if (string.IsNullOrWhiteSpace(campaign.VoiceId))
                {
                    errors.Add($"{at}:VoiceId is missing.");
                }

                Refuse(at, campaign, errors, "avatar (Direct Video)", styleId: true, orientation: true, avatarIds: true, duration: true);
                break;
            case VideoAgent:
                if (campaign.Orientation is { } orientation && !Orientations.Contains(orientation))
                {
                    errors.Add($"{at}:Orientation '{orientation}' is not one of {string.Join(", ", Orientations)} (unset: the agent decides).");
                }

                if (!(campaign.ExpectedSeconds is > 0 and <= 1800))
                {
                    errors.Add($"{at}:ExpectedSeconds {campaign.ExpectedSeconds} must be more than 0 and at most 1800 (HeyGen's 30-minute output limit).");
                }

                if (!string.IsNullOrWhiteSpace(campaign.TitleTemplate))
                {
                    errors.Add($"{at}:TitleTemplate cannot be used with video_agent: its request has no title (the recipient marker travels in callback_id); remove it.");
                }

                Refuse(at, campaign, errors, "video_agent (the agent picks engine and framing)", avatarIds: true, duration: true, engine: true);
                break;
            case CinematicAvatar:
                if (campaign.AvatarIds.Count is 0 or > MaxCinematicLooks || campaign.AvatarIds.Any(string.IsNullOrWhiteSpace))
                {
                    errors.Add($"{at}:AvatarIds must name 1 to {MaxCinematicLooks} avatar looks for cinematic_avatar (it has {campaign.AvatarIds.Count}).");
                }

                if (campaign.Duration is { } seconds && seconds is < MinCinematicSeconds or > MaxCinematicSeconds)
                {
                    errors.Add($"{at}:Duration {seconds} is not {MinCinematicSeconds} to {MaxCinematicSeconds} seconds, the clip lengths cinematic_avatar makes.");
                }

                if (!CinematicAspectRatios.Contains(campaign.AspectRatio))
                {
                    errors.Add($"{at}:AspectRatio '{campaign.AspectRatio}' is not one cinematic_avatar supports ({string.Join(", ", CinematicAspectRatios)}).");
                }

                if (!CinematicResolutions.Contains(campaign.Resolution))
                {
                    errors.Add($"{at}:Resolution '{campaign.Resolution}' is not one cinematic_avatar supports ({string.Join(", ", CinematicResolutions)}).");
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
                break;
            default:
                errors.Add($"{at}:Type '{campaign.Type}' is not one of {string.Join(", ", All)}.");
                break;
        }

        RefuseChoiceColumns(at, campaign, errors);
        RefuseFactColumns(at, campaign, errors);
    }

    /// <summary>Video fact columns need a CSV source, page columns the campaign's pages, and the caption file needs captions asked for.</summary>
    private static void RefuseFactColumns(string at, CampaignOptions campaign, List<string> errors)
    {
        if (campaign.Captions && campaign.Type != Avatar)
        {
            errors.Add($"{at}:Captions is an avatar setting; {campaign.Type} cannot take it.");
        }

        if (campaign.Columns.Captions is not null && !campaign.Captions)
        {
            errors.Add($"{at}:Columns:Captions needs {at}:Captions true: without it HeyGen makes no caption file.");
        }

        var pageFacts = campaign.Columns.PageFacts.Where(f => f.Column is not null).Select(f => f.Fact).ToList();
        if (pageFacts.Count > 0 && !campaign.Pages.Enabled)
        {
            errors.Add($"{at}:Columns:{string.Join(", Columns:", pageFacts)} need {at}:Pages:Enabled true: without recipient pages there is nothing to write.");
        }

        var facts = campaign.Columns.VideoFacts.Where(f => f.Column is not null).Select(f => f.Fact).ToList();
        if (campaign.Source is not null && facts.Count > 0)
        {
            errors.Add($"{at}:Columns:{string.Join(", Columns:", facts)} are written back to CSV files only; a table campaign writes video id, status and URL.");
        }
    }

    /// <summary>
    /// Per-row choice columns a type cannot send: the agent takes a look and a voice only; a cinematic shot a look
    /// (replacing <c>AvatarIds</c>) and an aspect ratio; an avatar video all of them.
    /// </summary>
    private static void RefuseChoiceColumns(string at, CampaignOptions campaign, List<string> errors)
    {
        var c = campaign.Columns;
        (string Name, string? Column, bool Agent, bool Cinematic)[] choices =
        [
            ("Voice", c.Voice, true, false),
            ("Background", c.Background, false, false),
            ("VoiceSpeed", c.VoiceSpeed, false, false),
            ("VoiceLocale", c.VoiceLocale, false, false),
            ("AspectRatio", c.AspectRatio, false, true),
        ];
        foreach (var (name, column, agent, cinematic) in choices)
        {
            if (column is not null && ((campaign.Type == VideoAgent && !agent) || (campaign.Type == CinematicAvatar && !cinematic)))
            {
                errors.Add($"{at}:Columns:{name} cannot be used with {campaign.Type}: its request has no such field.");
            }
        }
    }

    /// <summary>One error for each setting the type cannot take, so nothing set is silently left unsent.</summary>
    private static void Refuse(
        string at, CampaignOptions campaign, List<string> errors, string type,
        bool styleId = false, bool orientation = false, bool avatarIds = false, bool duration = false, bool engine = false)
    {
        if (styleId && campaign.StyleId is { Length: > 0 })
        {
            errors.Add($"{at}:StyleId is a Video Agent setting; {type} cannot take it.");
        }

        if (orientation && campaign.Orientation is { Length: > 0 })
        {
            errors.Add($"{at}:Orientation is a Video Agent setting; {type} cannot take it (use AspectRatio).");
        }

        if (avatarIds && campaign.AvatarIds.Count > 0)
        {
            errors.Add($"{at}:AvatarIds is a cinematic_avatar setting; {type} takes one AvatarId.");
        }

        if (duration && campaign.Duration is not null)
        {
            errors.Add($"{at}:Duration is a cinematic_avatar setting; {type} takes its length from the script or the agent.");
        }

        if (engine && campaign.Engine is { Length: > 0 })
        {
            errors.Add($"{at}:Engine cannot be used with {type}: the request has no engine field.");
        }
    }
}
