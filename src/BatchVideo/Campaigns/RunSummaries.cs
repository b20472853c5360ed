namespace BatchVideo.Campaigns;

/// <summary>The one way a <see cref="RunSummary"/> is made from a run's counters, for a run, a completion pass and a validation.</summary>
internal static class RunSummaries
{
    /// <param name="problems">The problem rows to show (a validation streams its own and shows none here).</param>
    public static RunSummary Of(PreparedRun run, RunProgress progress, RunMode mode, string? writtenTo, string? stoppedBecause, TimeSpan elapsed, IReadOnlyList<RowProblem> problems) => new(
        run.Campaign,
        run.Source.Name,
        progress.Read,
        progress.Rejected,
        progress.AlreadyDone,
        progress.Submitted,
        progress.Completed,
        progress.Failed,
        progress.ToResume,
        progress.Rendering,
        problems,
        writtenTo,
        stoppedBecause,
        elapsed)
    {
        Mode = mode,
        WouldSubmit = progress.WouldSubmit,
        InProgressElsewhere = progress.InProgressElsewhere,
        OutcomeUnknown = progress.OutcomeUnknown,
    };
}
