using BatchVideo.Reports;

namespace BatchVideo.Campaigns;

/// <summary>A row ready to send: where it came from, its key, its script, and its ledger entry if it had one.</summary>
internal sealed record Submission(long Line, string Key, Scripts.RenderResult Rendered, Ledger.LedgerEntry? Entry)
{
    /// <summary>The row as read, for the rejects file should HeyGen refuse it, its render fail, or its own look or voice be refused in the pre-flight.</summary>
    public Sources.SourceRow? Row { get; init; }
}

/// <summary>
/// What one run's stages are given when the run is built (<see cref="RunStages.Begin"/>): the prepared run, its
/// control, counters, follower, report, render slots and rejects sink. Nothing here is set after the run began.
/// </summary>
internal sealed class RunState(PreparedRun run, RunControl control, RunProgress progress, VideoFollower follower, FailureBreaker breaker, ReportSession report, RenderSlots slots, RejectsSink rejects)
{
    public PreparedRun Run => run;

    /// <summary>The run's stages, decided once when the run began.</summary>
    public RunPlan Plan { get; } = run.Plan;

    /// <summary>Stop, halt, budget and window: the only thing the stages change.</summary>
    public RunControl Control => control;

    public RunProgress Progress => progress;

    public VideoFollower Follower => follower;

    public FailureBreaker Breaker => breaker;

    public ReportSession Report => report;

    /// <summary>Where rows turned away go: counted, logged, written to the rejects file.</summary>
    public RejectsSink Rejects => rejects;

    /// <summary>The account's render slots, shared by the submitters and the follower.</summary>
    public RenderSlots Slots => slots;

    /// <summary>This worker's name in table claims: machine, process, and a per-run suffix.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public CancellationToken Token => control.Token;

    /// <summary>Ends once no further create may be sent (stopped or halted).</summary>
    public CancellationToken CreatesToken => control.CreatesToken;

    public bool Halted => control.Halted;

    public string? StoppedBecause => control.StoppedBecause;

    public void Stop(string reason) => control.Stop(reason);
}
