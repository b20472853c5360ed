using BatchVideo.Campaigns;

namespace BatchVideo.Tests.Support;

/// <summary>The counters of a summary that partition the rows read: each row is in exactly one of them.</summary>
public static class SummaryArithmetic
{
    /// <summary>
    /// A run counts each row by where it ended (its video completed or still rendering, failed, left to
    /// resume); a dry run and a validation by what a run would do (<see cref="RunSummary.WouldSubmit"/>).
    /// A run's sent rows are counted again where they ended, so <see cref="RunSummary.Submitted"/> is never added;
    /// <see cref="RunSummary.WouldSubmit"/> always is, so a run that counted a row as would-be too does not add up.
    /// </summary>
    public static long Counted(RunSummary s) => s.Rejected + s.AlreadyDone + s.InProgressElsewhere + s.Failed + s.Rendering + s.WouldSubmit
        + (s.Mode == RunMode.Run ? s.Completed + s.ToResume : 0);
}
