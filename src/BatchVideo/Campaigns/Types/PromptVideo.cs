using BatchVideo.HeyGen;
using BatchVideo.Scripts;

namespace BatchVideo.Campaigns.Types;

/// <summary>
/// A video made from a prompt (video_agent, cinematic_avatar): the rendered text is the prompt HeyGen works from,
/// not a script read aloud, and the clip's length is the operator's figure rather than one read from the text.
/// This is the step both take; each type keeps its own request shape in <see cref="Request"/>.
/// </summary>
public abstract class PromptVideo : VideoType
{
    public sealed override VideoCreate Build(PreparedRun run, string marker, RenderResult rendered, Uri? callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rendered);
        // As spoken when names were respelled (the prompt is what HeyGen works from); the CRM's spelling is for what is shown.
        return Request(new PromptRow(run, marker, rendered.Spoken ?? rendered.Script!, rendered.Title, rendered.Choices, callbackUrl));
    }

    public sealed override double MinutesOf(CampaignOptions campaign, string text)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return SecondsOf(campaign) / 60.0;
    }

    /// <summary>The type's create request for one rendered row.</summary>
    protected abstract VideoCreate Request(PromptRow row);

    /// <summary>The seconds a clip is assumed to last, for estimates and render slots (not read from the prompt).</summary>
    protected abstract double SecondsOf(CampaignOptions campaign);
}

/// <summary>One rendered row as a prompt type's request takes it.</summary>
/// <param name="Prompt">The rendered text, as spoken when respelled.</param>
/// <param name="Title">The rendered title template, if any (video_agent's request has no title).</param>
/// <param name="Choices">The row's own look, voice, aspect ratio… from the choice columns; null: none mapped.</param>
public sealed record PromptRow(PreparedRun Run, string Marker, string Prompt, string? Title, RowChoices? Choices, Uri? CallbackUrl)
{
    public CampaignOptions Options => Run.Options;
}
