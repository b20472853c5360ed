using BatchVideo.HeyGen;
using BatchVideo.Scripts;

namespace BatchVideo.Campaigns;

/// <summary>
/// The create of one recipient for each of the campaign's video types: the one place a row's rendered text
/// becomes a request (a run, a dry run and <c>preview</c> all build it here). Fields the campaign leaves unset
/// are left out of the body, so HeyGen applies its own defaults.
/// </summary>
public static class VideoRequests
{
    /// <summary>The create for <paramref name="key"/> in <paramref name="run"/>'s campaign.</summary>
    /// <exception cref="ArgumentException">The row was not rendered.</exception>
    public static VideoCreate Build(PreparedRun run, string key, RenderResult rendered, Uri? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rendered);
        // What is spoken: the respelled script when the row has a respelling (Names.SpokenText), the script otherwise.
        var text = rendered.Spoken ?? rendered.Script ?? throw new ArgumentException("The row was not rendered.", nameof(rendered));
        var options = run.Options;
        var marker = RecipientIdentity.Marker(run.Campaign, key);
        var row = rendered.Choices;
        return options.Type switch
        {
            VideoTypes.VideoAgent => VideoCreate.Of(new CreateVideoAgentRequest
            {
                Prompt = text,
                AvatarId = row?.Look ?? NullIfBlank(options.AvatarId),
                VoiceId = row?.Voice ?? NullIfBlank(options.VoiceId),
                StyleId = NullIfBlank(options.StyleId),
                Orientation = NullIfBlank(options.Orientation),
                CallbackUrl = callbackUrl?.AbsoluteUri,
                // Always sent: the request has no title, so the marker travels here (docs/reconciliation.md).
                CallbackId = marker,
            }),
            VideoTypes.CinematicAvatar => VideoCreate.Of(new CreateCinematicVideoRequest
            {
                Prompt = text,
                AvatarIds = row?.Look is { } look ? [look] : [.. options.AvatarIds],
                Duration = options.Duration,
                AspectRatio = row?.AspectRatio ?? options.AspectRatio,
                Resolution = options.Resolution,
                Title = RecipientIdentity.Title(rendered.Title, run.Campaign, marker),
            }),
            _ => VideoCreate.Of(new CreateVideoRequest
            {
                AvatarId = row?.Look ?? options.AvatarId,
                VoiceId = row?.Voice ?? options.VoiceId,
                Script = text,
                Title = RecipientIdentity.Title(rendered.Title, run.Campaign, marker),
                AspectRatio = row?.AspectRatio ?? options.AspectRatio,
                Resolution = options.Resolution,
                CallbackUrl = callbackUrl?.AbsoluteUri,
                CallbackId = callbackUrl is null ? null : marker,
                Engine = options.Engine is { } engine ? new EngineSetting(engine) : null,
                Caption = options.Captions ? new CaptionSetting("srt") : null,
                Background = row?.Background,
                VoiceSettings = row is { VoiceSpeed: null, VoiceLocale: null } or null ? null : new VoiceSettings(row.VoiceSpeed, row.VoiceLocale),
            }),
        };
    }

    /// <summary>
    /// The estimated length of one video in minutes: a script's spoken length at the campaign's pace, a cinematic
    /// clip's <c>Duration</c> (HeyGen's default 10 s when unset), the agent's <c>ExpectedSeconds</c>.
    /// </summary>
    public static double MinutesOf(CampaignOptions campaign, string text)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return campaign.Type switch
        {
            VideoTypes.CinematicAvatar => (campaign.Duration ?? VideoTypes.DefaultCinematicSeconds) / 60.0,
            VideoTypes.VideoAgent => campaign.ExpectedSeconds / 60.0,
            _ => CreditEstimate.MinutesOf(text, campaign.WordsPerMinute),
        };
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
