using BatchVideo.Campaigns;
using BatchVideo.Scripts;

namespace BatchVideo.Names;

/// <summary>
/// The one step between a row's render and its request that makes what is SPOKEN differ from what is SHOWN: with
/// respellings, the script (or prompt) is rendered again from the respelled values into <see cref="RenderResult.Spoken"/>;
/// the title and <see cref="RenderResult.Script"/> keep the CRM's spelling for the review page and the write-back.
/// </summary>
public static class SpokenText
{
    /// <summary><paramref name="rendered"/> with its spoken script, when a respelling applies to the row; otherwise as it is.</summary>
    public static RenderResult Apply(PreparedRun run, IReadOnlyList<string> values, string key, RenderResult rendered)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(rendered);
        if (rendered.Problem is not null || run.Respellings?.Spoken(values) is not { } spoken)
        {
            return rendered;
        }

        var respelled = run.Renderer.Render(spoken, key, run.Campaign);
        return respelled.Problem is { } problem
            ? RenderResult.Rejected(problem with { Reason = "with its respelling (Pronunciations): " + problem.Reason })
            : rendered with { Spoken = respelled.Script };
    }
}
