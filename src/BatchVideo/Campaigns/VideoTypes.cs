using BatchVideo.Campaigns.Types;

namespace BatchVideo.Campaigns;

/// <summary>
/// HeyGen's ways to create a video (developers.heygen.com/docs/choosing-the-right-video-api) by their
/// <c>Campaigns:&lt;name&gt;:Type</c> names, each a <see cref="VideoType"/> in <c>Campaigns/Types/</c> that carries its
/// own rules; and the start-up check of a campaign against its type.
/// </summary>
public static class VideoTypes
{
    public const string Avatar = "avatar";
    public const string VideoAgent = "video_agent";
    public const string CinematicAvatar = "cinematic_avatar";
    public const string Template = "template";

    private static readonly VideoType[] Types = [new AvatarVideo(), new VideoAgentVideo(), new CinematicAvatarVideo(), new TemplateVideo()];

    private static readonly Dictionary<string, VideoType> ByName = Types.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> All = [.. Types.Select(t => t.Name)];

    /// <summary>CreateVideoAgentRequest.prompt: maxLength 10000.</summary>
    public const int MaxAgentPrompt = VideoAgentVideo.MaxPrompt;

    /// <summary>Cinematic Avatar's avatar_id: "Provide 1 to 3 look IDs".</summary>
    public const int MaxCinematicLooks = CinematicAvatarVideo.MaxLooks;

    /// <summary>Cinematic Avatar's duration: "Video length in seconds (4–15). Defaults to 10."</summary>
    public const int MinCinematicSeconds = CinematicAvatarVideo.MinSeconds;

    public const int MaxCinematicSeconds = CinematicAvatarVideo.MaxSeconds;

    public const int DefaultCinematicSeconds = CinematicAvatarVideo.DefaultSeconds;

    public static readonly IReadOnlySet<string> CinematicAspectRatios = CinematicAvatarVideo.Ratios;

    public static readonly IReadOnlySet<string> CinematicResolutions = CinematicAvatarVideo.Resolutions;

    public static readonly IReadOnlySet<string> Orientations = VideoAgentVideo.Orientations;

    /// <summary>The type named <paramref name="name"/>; null when there is none.</summary>
    public static VideoType? Find(string? name) => name is not null && ByName.TryGetValue(name, out var type) ? type : null;

    /// <summary>The campaign's type.</summary>
    /// <exception cref="ConfigurationException">The campaign names no known type (the start-up validation reports it first).</exception>
    public static VideoType Of(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return Find(campaign.Type) ?? throw new ConfigurationException($"Type '{campaign.Type}' is not one of {string.Join(", ", All)}.");
    }

    /// <summary>The type named <paramref name="name"/>, the avatar type for any other name (a key's form for a type not configured).</summary>
    public static VideoType Named(string name) => Find(name) ?? Types[0];

    /// <summary>The longest text the campaign's template may render for its type (script or prompt).</summary>
    /// <remarks>Cinematic Avatar's prompt has no documented maximum; the script's 5,000 is kept until one is published.</remarks>
    public static int MaxRenderedLength(CampaignOptions campaign) => Of(campaign).MaxRenderedLength;

    /// <summary>Whether a create's video can be found by its title marker (the agent request has no <c>title</c>).</summary>
    public static bool CarriesTitle(CampaignOptions campaign) => Of(campaign).CarriesTitle;

    /// <summary>The create endpoint of the campaign's type, relative to HeyGen's base URL.</summary>
    public static string RouteOf(CampaignOptions campaign) => Of(campaign).RouteOf(campaign);

    /// <summary>The avatar looks a campaign's creates name (the pre-flight checks each).</summary>
    public static IReadOnlyList<string> LooksOf(CampaignOptions campaign) => Of(campaign).LooksOf(campaign);

    /// <summary>The voices a campaign's creates name (none for a cinematic shot).</summary>
    public static IReadOnlyList<string> VoicesOf(CampaignOptions campaign) => Of(campaign).VoicesOf(campaign);

    /// <summary>
    /// Adds to <paramref name="errors"/> what <paramref name="campaign"/> lacks for its type and what it sets that
    /// its type cannot take, each with its setting's path (<paramref name="at"/> is <c>Campaigns:&lt;name&gt;</c>).
    /// </summary>
    public static void Validate(string at, CampaignOptions campaign, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(errors);
        if (Find(campaign.Type) is not { } type)
        {
            errors.Add($"{at}:Type '{campaign.Type}' is not one of {string.Join(", ", All)}.");
            RefuseFactColumns(at, campaign, null, errors);
            return;
        }

        type.Validate(at, campaign, errors);
        RefuseChoiceColumns(at, campaign, type, errors);
        RefuseFactColumns(at, campaign, type, errors);
    }

    /// <summary>Fact columns need a CSV source, and the caption file needs captions asked for.</summary>
    private static void RefuseFactColumns(string at, CampaignOptions campaign, VideoType? type, List<string> errors)
    {
        if (campaign.Captions && type is null or { TakesCaptions: false })
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

    /// <summary>Per-row choice columns the type's request has no field for.</summary>
    private static void RefuseChoiceColumns(string at, CampaignOptions campaign, VideoType type, List<string> errors)
    {
        var c = campaign.Columns;
        (string Name, string? Column)[] choices =
        [
            ("Voice", c.Voice),
            ("Background", c.Background),
            ("VoiceSpeed", c.VoiceSpeed),
            ("VoiceLocale", c.VoiceLocale),
            ("AspectRatio", c.AspectRatio),
        ];
        foreach (var (name, column) in choices)
        {
            if (column is not null && !type.TakesChoice(name))
            {
                errors.Add($"{at}:Columns:{name} cannot be used with {campaign.Type}: its request has no such field.");
            }
        }
    }
}
