using BatchVideo.Reports;

namespace BatchVideo.Campaigns;

/// <summary>A row ready to send: where it came from, its key, its script, and its ledger entry if it had one.</summary>
internal sealed record Submission(long Line, string Key, Scripts.RenderResult Rendered, Ledger.LedgerEntry? Entry)
{
    /// <summary>The row as read, for the rejects file should HeyGen refuse it, its render fail, or its own look or voice be refused in the pre-flight.</summary>
    public Sources.SourceRow? Row { get; init; }
}

/// <summary>The mutable state one run shares between its producer, submitters and follower.</summary>
internal sealed class RunState(PreparedRun run, RunProgress progress, CancellationTokenSource stop, VideoFollower follower, FailureBreaker breaker, ReportSession report, RenderSlots slots) : IDisposable
{
    // Cancelled by a halt as well as a stop: rows waiting for a render slot give up their wait.
    private readonly CancellationTokenSource noMoreCreates = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
    private readonly Lock budgetGate = new();
    private string? stoppedBecause;
    private double reserved;
    private long reservedVideos;
    private bool halted;
    private ITimer? window;
    private Ledger.LedgerUnavailableException? ledgerLost;
    private readonly CancellationTokenSource ledgerGone = new();

    public PreparedRun Run => run;

    /// <summary>The run's stages, decided once when the run began.</summary>
    public RunPlan Plan { get; } = run.Plan;

    public RunProgress Progress => progress;

    public VideoFollower Follower => follower;

    public FailureBreaker Breaker => breaker;

    public ReportSession Report => report;

    public CancellationToken Token => stop.Token;

    /// <summary>The account's render slots, shared by the submitters and the follower.</summary>
    public RenderSlots Slots => slots;

    /// <summary>Ends once no further create may be sent (stopped or halted).</summary>
    public CancellationToken CreatesToken => noMoreCreates.Token;

    public string? StoppedBecause => stoppedBecause;

    /// <summary>The first rows the decision pass read (at most the review page's rows): the page is made from them.</summary>
    public List<Sources.SourceRow> FirstRows { get; } = [];

    /// <summary>True once the decision pass read the source to its end (it was not halted or stopped on the way).</summary>
    public bool ReadToEnd { get; set; }

    /// <summary>
    /// Writes a row that failed (failed earlier, refused by HeyGen, render failed) to the rejects file when it
    /// happens, with its values as read; a row whose values are not at hand is looked up by key.
    /// </summary>
    public Func<string, Sources.SourceRow?, RowReport, Task> RejectFailed { get; init; } = (_, _, _) => Task.CompletedTask;

    public bool StoppedBeforeAnyCreate { get; set; }

    /// <summary>Rows' own looks and voices HeyGen does not know (or cannot use yet), with why: set by the pre-flight.</summary>
    public RefusedChoices? RefusedChoices { get; set; }

    /// <summary>This worker's name in table claims: machine, process, and a per-run suffix.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>What a minute of video costs in <see cref="Unit"/>: the pre-flight sets it from the account; before that, <see cref="Spend.Assumed(CampaignOptions, PricingOptions)"/>'s.</summary>
    public double PricePerMinute { get; set; } = Spend.Assumed(run.Options, run.Pricing).Rate.PerMinute;

    /// <summary>What a video costs flat in <see cref="Unit"/>, on top of its minutes (Cinematic Avatar's per-video price); 0 otherwise.</summary>
    public double PricePerVideo { get; set; } = Spend.Assumed(run.Options, run.Pricing).Rate.PerVideo;

    /// <summary>The account's unit (<c>usd</c> or <c>credits</c>), as <c>/v3/users/me</c> reported it; assumed until then.</summary>
    public string Unit { get; set; } = Spend.Assumed(run.Options, run.Pricing).Unit;

    /// <summary>True once the pre-flight has asked the account its unit.</summary>
    public bool PriceAsked { get; set; }

    /// <summary>What the account has left, for a dry run to compare its own pass's estimate with at its end.</summary>
    public double? Left { get; set; }

    /// <summary>The pre-flight's estimate of the rows to send, when the quota check ran.</summary>
    public VideoEstimate? Estimate { get; set; }

    /// <summary>Estimated spend of the creates sent or being sent, in <see cref="Unit"/> (for --max-spend).</summary>
    public double Reserved
    {
        get
        {
            lock (budgetGate)
            {
                return reserved;
            }
        }
    }

    public long ReservedVideos
    {
        get
        {
            lock (budgetGate)
            {
                return reservedVideos;
            }
        }
    }

    /// <summary>Adds a create's estimated cost, unless that would pass <paramref name="budget"/>.</summary>
    public bool TryReserve(double credits, double budget)
    {
        lock (budgetGate)
        {
            if (reserved + credits > budget)
            {
                return false;
            }

            reserved += credits;
            reservedVideos++;
            return true;
        }
    }

    /// <summary>True once no further create may be sent (a budget or the circuit breaker said so).</summary>
    public bool Halted => Volatile.Read(ref halted);

    /// <summary>Set when the ledger could not be written (a full disk, a read-only file): what the run ends with.</summary>
    public Ledger.LedgerUnavailableException? LedgerLost => Volatile.Read(ref ledgerLost);

    /// <summary>
    /// The ledger cannot be written: no create may go without its entry, and no result can be recorded, so
    /// the run stops at once (creates, reads and following alike) and ends with the ledger's sentence.
    /// </summary>
    public void LoseLedger(Ledger.LedgerUnavailableException e)
    {
        Interlocked.CompareExchange(ref ledgerLost, e, null);
        Stop(e.Message);
        ledgerGone.Cancel();
    }

    /// <summary>Ends once the ledger could not be written: the follower stops with it (any other stop lets it record what is in flight).</summary>
    public CancellationToken LedgerLostToken => ledgerGone.Token;

    public void Stop(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        stop.Cancel();
    }

    /// <summary>
    /// Sends no further create but lets the ones in the air finish and the follower go on, so nothing
    /// already paid for is left unrecorded; rows not sent stay pending.
    /// </summary>
    public void Halt(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        Volatile.Write(ref halted, true);
        try
        {
            noMoreCreates.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run is over; nothing is waiting for a slot any more.
        }
    }

    /// <summary>
    /// The spend budget is reached: no further row is fed or priced, but the creates already within the
    /// budget still go (they hold its share, and stopping them would leave paid-for rows unsent).
    /// </summary>
    public void BudgetReached(string reason)
    {
        Interlocked.CompareExchange(ref stoppedBecause, reason, null);
        Volatile.Write(ref halted, true);
    }

    /// <summary>Halts the run at <paramref name="until"/> (the end of the campaign's submission window).</summary>
    public void HaltAt(DateTimeOffset until, TimeProvider time)
    {
        const string reason = "the campaign's submission window (SubmitUntil) ended; rows not sent stay pending for the next fire";
        var left = until - time.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            Halt(reason);
            return;
        }

        window = time.CreateTimer(_ => Halt(reason), null, left, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        window?.Dispose();
        noMoreCreates.Dispose();
        ledgerGone.Dispose();
    }
}
