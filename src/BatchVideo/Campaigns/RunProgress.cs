using System.Collections.Concurrent;

namespace BatchVideo.Campaigns;

/// <summary>Live counters of a run, read by the console while the run writes them.</summary>
public sealed class RunProgress
{
    private long read;
    private long rejected;
    private long alreadyDone;
    private long submitted;
    private long wouldSubmit;
    private long rendering;
    private long completed;
    private long failed;
    private long deferred;
    private long inProgressElsewhere;
    private long outcomeUnknown;
    private long words;
    private long renderTicks;
    private long characters;
    private long characterMicroMinutes;

    public long Read => Interlocked.Read(ref read);

    public long Rejected => Interlocked.Read(ref rejected);

    public long AlreadyDone => Interlocked.Read(ref alreadyDone);

    /// <summary>Rows really sent: creates HeyGen accepted (a run only).</summary>
    public long Submitted => Interlocked.Read(ref submitted);

    /// <summary>Rows a real run would send, counted by a dry run and a validation (which send nothing).</summary>
    public long WouldSubmit => Interlocked.Read(ref wouldSubmit);

    /// <summary>Videos HeyGen is rendering that this run follows.</summary>
    public long Rendering => Interlocked.Read(ref rendering);

    public long Completed => Interlocked.Read(ref completed);

    public long Failed => Interlocked.Read(ref failed);

    /// <summary>Rows whose create got no answer after every retry: they resume on the next run.</summary>
    public long ToResume => Interlocked.Read(ref deferred);

    /// <summary>Rows another worker holds under a live lease: counted, reported, not sent by this run.</summary>
    public long InProgressElsewhere => Interlocked.Read(ref inProgressElsewhere);

    /// <summary>
    /// Failed rows whose create may have made a video (sent once to an endpoint not trusted with the key, answer
    /// lost): counted in <see cref="Failed"/> too, never sent again until the operator decides.
    /// </summary>
    public long OutcomeUnknown => Interlocked.Read(ref outcomeUnknown);

    /// <summary>Spoken words of the scripts submitted (or, in a dry run and a validation, that would be).</summary>
    public long Words => Interlocked.Read(ref words);

    private RenderSlots? slots;

    /// <summary>The run's render slots (in use, cap, rows waiting) as read now, once the run has them: a view, not the slots.</summary>
    public SlotCounts? Slots => Volatile.Read(ref slots) is { } s ? new SlotCounts(s.InUse, s.EffectiveCap, s.Waiting) : null;

    /// <summary>Running mean of the render times seen (create to seen completed); null before the first.</summary>
    public TimeSpan? MeanRenderTime => Interlocked.Read(ref renderTicks) is > 0 and var ticks ? TimeSpan.FromTicks(ticks) : null;

    /// <summary>
    /// Time left from the render times seen: the rows not yet finished pass through the slots in waves of
    /// the mean render time. Null until a render was seen or without a row total.
    /// </summary>
    public TimeSpan? RenderEta(long? total)
    {
        if (total is not { } all || MeanRenderTime is not { } mean || Slots is not { } slots)
        {
            return null;
        }

        var left = all - Rejected - AlreadyDone - Failed - ToResume - Completed;
        return left <= 0 ? TimeSpan.Zero : mean * Math.Ceiling((double)left / Math.Max(1, slots.EffectiveCap));
    }

    /// <summary>Every row that did not end well, with its reason (unless <see cref="RetainProblems"/> is off).</summary>
    public ConcurrentQueue<RowProblem> Problems { get; } = new();

    /// <summary>Off for commands that stream problems elsewhere and must not hold millions of them.</summary>
    public bool RetainProblems { get; init; } = true;

    internal void OnRead() => Interlocked.Increment(ref read);

    /// <summary>The run's slots, for <see cref="Slots"/> to read.</summary>
    internal void Watch(RenderSlots renderSlots) => Volatile.Write(ref slots, renderSlots);

    internal void OnRejected(RowProblem report)
    {
        Interlocked.Increment(ref rejected);
        Keep(report);
    }

    internal void OnAlreadyDone() => Interlocked.Increment(ref alreadyDone);

    /// <summary>Characters of unspaced scripts (Japanese, Chinese, Thai) submitted, timed by character.</summary>
    public long Characters => Interlocked.Read(ref characters);

    /// <summary>A create HeyGen accepted: the row was sent.</summary>
    internal void OnSubmitted(SpokenLength length)
    {
        Measure(length);
        Interlocked.Increment(ref submitted);
    }

    /// <summary>A dry run's or a validation's ready row: a real run would send it; nothing was sent.</summary>
    internal void OnWouldSubmit(SpokenLength length)
    {
        Measure(length);
        Interlocked.Increment(ref wouldSubmit);
    }

    private void Measure(SpokenLength length)
    {
        Interlocked.Add(ref words, length.Words);
        Interlocked.Add(ref characters, length.Characters);
        Interlocked.Add(ref characterMicroMinutes, (long)Math.Round(length.CharacterMinutes * 1e6));
    }

    /// <summary>
    /// What the scripts submitted so far (a run) or that would be (a dry run, a validation) are likely to cost
    /// at the campaign's pace and price: a run counts no would-be row and a dry run no sent one, so the sum is one of them.
    /// </summary>
    public VideoEstimate Estimate(CampaignOptions campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var videos = Submitted + WouldSubmit;
        if (!VideoTypes.Of(campaign).IsSpoken)
        {
            // A prompt is not spoken: the length is the type's (the agent's expected one, the clip's duration).
            return new VideoEstimate(videos, 0, campaign.WordsPerMinute, campaign.CreditsPerMinute) { SetMinutes = videos * VideoRequests.MinutesOf(campaign, "") };
        }

        return new VideoEstimate(videos, Words, campaign.WordsPerMinute, campaign.CreditsPerMinute)
        {
            Characters = Characters,
            CharacterMinutes = Interlocked.Read(ref characterMicroMinutes) / 1e6,
        };
    }

    internal void OnRendering() => Interlocked.Increment(ref rendering);

    internal void OnCompleted()
    {
        Interlocked.Decrement(ref rendering);
        Interlocked.Increment(ref completed);
    }

    internal void OnRenderObserved(TimeSpan took)
    {
        // Exponential moving average (weight 0.2 for the newest), good enough for an ETA.
        var old = Interlocked.Read(ref renderTicks);
        var next = old == 0 ? took.Ticks : (long)((0.8 * old) + (0.2 * took.Ticks));
        Interlocked.Exchange(ref renderTicks, Math.Max(1, next));
    }

    internal void OnRenderFailed(RowProblem report)
    {
        Interlocked.Decrement(ref rendering);
        OnFailed(report);
    }

    internal void OnFailed(RowProblem report)
    {
        Interlocked.Increment(ref failed);
        if (report.Code == Ledger.LedgerStore.OutcomeUnknownCode)
        {
            Interlocked.Increment(ref outcomeUnknown);
        }

        Keep(report);
    }

    /// <summary>
    /// A video completed but its file could not be stored: to resume (<c>batchvideo refresh</c> downloads it),
    /// not completed, so the row is in one counter only.
    /// </summary>
    internal void OnDownloadFailed(RowProblem report)
    {
        Interlocked.Decrement(ref rendering);
        OnDeferred(report);
    }

    internal void OnDeferred(RowProblem report)
    {
        Interlocked.Increment(ref deferred);
        Keep(report);
    }

    internal void OnInProgressElsewhere(RowProblem report)
    {
        Interlocked.Increment(ref inProgressElsewhere);
        Keep(report);
    }

    private void Keep(RowProblem report)
    {
        if (RetainProblems)
        {
            Problems.Enqueue(report);
        }
    }
}

/// <summary>The account's render slots as the console shows them: in use, the cap in force, rows waiting for one.</summary>
public sealed record SlotCounts(int InUse, int EffectiveCap, long Waiting);

/// <summary>A sample run's result: how many sample rows it made and the command that goes on from there.</summary>
public sealed record SampleOutcome(long Rows, bool AwaitingApproval, string Next);

/// <summary>The command a summary comes from.</summary>
public enum RunMode
{
    Run,
    DryRun,
    Validate,
}

/// <summary>Where a run's time went: reading every row, and sending every create (both from the start).</summary>
public sealed record RunTimings(TimeSpan Reading, TimeSpan? Submitting);

/// <summary>What happened to a row that did not end well (names as in docs/glossary.md).</summary>
public enum RowOutcome
{
    /// <summary>Never sent: the source cannot give the row, or its script does not render.</summary>
    Rejected,

    /// <summary>Failed earlier, refused by HeyGen for this row, or its render failed.</summary>
    Failed,

    /// <summary>To resume: the create got no answer (or the run stopped first); the next run replays it.</summary>
    ToResume,

    /// <summary>Another worker holds the recipient under a live lease; a later run takes it over if it is not done.</summary>
    InProgressElsewhere,
}

/// <summary>The one name of each <see cref="RowOutcome"/> in output (console, reports, JSON).</summary>
public static class RowOutcomeNames
{
    public static string Name(this RowOutcome outcome) => outcome switch
    {
        RowOutcome.InProgressElsewhere => "in progress elsewhere",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>A problem row: where it is, which recipient, which column, and why.</summary>
public sealed record RowProblem(RowOutcome Outcome, long Line, string? Key, string? Column, string Reason)
{
    /// <summary>A stable word for the kind of problem (<c>duplicate_key</c>, or HeyGen's error code), for grouping in reports.</summary>
    public string Code { get; init; } = "unknown";
}

/// <summary>The end of a run: counts, problems, where the results were written, and a fatal stop if any.</summary>
public sealed record RunSummary(
    string Campaign,
    string Source,
    long Read,
    long Rejected,
    long AlreadyDone,
    long Submitted,
    long Completed,
    long Failed,
    long ToResume,
    long Rendering,
    IReadOnlyList<RowProblem> Problems,
    string? WrittenTo,
    string? StoppedBecause,
    TimeSpan Elapsed)
{
    /// <summary>The pre-flight check refused the campaign (key, avatar, voice): a configuration error.</summary>
    public bool StoppedBeforeAnyCreate { get; init; }

    /// <summary>What produced this summary; a run counts rows sent in <see cref="Submitted"/>, a dry run and a validation rows a run would send in <see cref="WouldSubmit"/>.</summary>
    public RunMode Mode { get; init; }

    /// <summary>Nothing was created or written: <see cref="WouldSubmit"/> counts what a real run would send.</summary>
    public bool DryRun => Mode == RunMode.DryRun;

    /// <summary>Rows a real run would send (a dry run, a validation); zero for a run, whose sent rows are <see cref="Submitted"/>.</summary>
    public long WouldSubmit { get; init; }

    /// <summary>How long reading and submitting took, within <see cref="Elapsed"/>.</summary>
    public RunTimings? Timings { get; init; }

    /// <summary>The HeyGen pre-flight check, when a validation says how it went ("passed", or why it was skipped).</summary>
    public string? Preflight { get; init; }

    /// <summary>The JSON report, once written.</summary>
    public string? ReportPath { get; init; }

    /// <summary>The circuit breaker or the money cap stopped sending (rows not sent stay pending).</summary>
    public bool Halted { get; init; }

    /// <summary>What a <c>run --sample</c> made, and whether the campaign now waits for approval.</summary>
    public SampleOutcome? Sample { get; init; }

    /// <summary>The review page (HTML: every row with its video, script and problem), once written.</summary>
    public string? ReviewPagePath { get; init; }

    /// <summary>The CSV of rejected and failed rows to fix and run again, when there were any.</summary>
    public string? RejectsPath { get; init; }

    /// <summary>Why the reports could not be written, if they could not.</summary>
    public string? ReportProblem { get; init; }

    /// <summary>Rows in <see cref="RejectsPath"/>.</summary>
    public long RejectsWritten { get; init; }

    /// <summary>Rows another worker was sending under a live lease: not sent by this run, resumed by a later one if need be.</summary>
    public long InProgressElsewhere { get; init; }

    /// <summary>Failed rows whose create's outcome is unknown (<see cref="RunProgress.OutcomeUnknown"/>), for the operator to settle.</summary>
    public long OutcomeUnknown { get; init; }

    /// <summary>
    /// Page links (<c>UrlField: page</c>) were written back: whether they play without a HeyGen login is undocumented,
    /// so the summary points at <c>batchvideo links check</c>.
    /// </summary>
    public bool PageLinksWritten { get; init; }

    /// <summary>Length and credits of the scripts submitted (or that a dry run would submit), estimated.</summary>
    public VideoEstimate? Estimate { get; init; }

    /// <summary>
    /// Rows a run read but never sent because it stopped or halted first (Ctrl+C, SIGTERM, the breaker, the money cap):
    /// they are in no other counter, stay pending, and a rerun sends them. Always zero for a dry run and a validation.
    /// </summary>
    public long NotSent => Mode != RunMode.Run ? 0
        : Math.Max(0, Read - (Rejected + AlreadyDone + InProgressElsewhere + Failed + Rendering + Completed + ToResume));

    /// <summary>0: every row done; 1: some rows rejected, failed or left to resume; 2: configuration refused before any create.</summary>
    public int ExitCode => StoppedBeforeAnyCreate ? 2
        : Rejected == 0 && Failed == 0 && ToResume == 0 && InProgressElsewhere == 0 && StoppedBecause is null ? 0 : 1;
}
