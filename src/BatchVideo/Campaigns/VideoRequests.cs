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
        _ = rendered.Script ?? throw new ArgumentException("The row was not rendered.", nameof(rendered));
        return run.VideoType.Build(run, RecipientIdentity.Marker(run.Campaign, key), rendered, callbackUrl);
    }

    /// <summary>
    /// The estimated length of one video in minutes: a script's spoken length at the campaign's pace, a cinematic
    /// clip's <c>Duration</c> (HeyGen's default 10 s when unset), the agent's <c>ExpectedSeconds</c>.
    /// </summary>
    public static double MinutesOf(CampaignOptions campaign, string text)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return VideoTypes.Of(campaign).MinutesOf(campaign, text);
    }
}
