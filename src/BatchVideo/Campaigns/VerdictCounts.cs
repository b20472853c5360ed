namespace BatchVideo.Campaigns;

/// <summary>The one mapping from a row's verdict to the counter of the summary it lands in, for a run and a validation alike.</summary>
internal static class VerdictCounts
{
    /// <summary>
    /// Counts the row in the counter its fate names. A ready row is not counted here: it is counted where it
    /// is sent (submitted, or would be), rejected by the pre-flight, or left to resume.
    /// </summary>
    public static void Count(this RunProgress progress, RowVerdict verdict)
    {
        switch (verdict)
        {
            case { Fate: RowFate.Rejected, Problem: { } problem }:
                progress.OnRejected(problem);
                break;
            case { Fate: RowFate.AlreadyDone }:
                progress.OnAlreadyDone();
                break;
            case { Fate: RowFate.Rendering }:
                progress.OnRendering();
                break;
            case { Fate: RowFate.FailedEarlier, Problem: { } problem }:
                progress.OnFailed(problem);
                break;
            case { Fate: RowFate.InProgressElsewhere, Problem: { } problem }:
                progress.OnInProgressElsewhere(problem);
                break;
            case { Fate: RowFate.Ready, Key: not null, Rendered: not null }:
                break;
            default:
                // Every verdict is counted: a fate without a case here would vanish from the summary.
                throw new InvalidOperationException($"Line {verdict.Row.Line}: no count for the verdict {verdict.Fate}.");
        }
    }
}
